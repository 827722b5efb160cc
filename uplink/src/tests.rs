use super::*;
use pharos_buffer::BufferConfig;

fn buffer_with(records: u64) -> (tempfile::TempDir, Arc<Mutex<DiskBuffer>>) {
    let dir = tempfile::tempdir().unwrap();
    let mut b = DiskBuffer::open(dir.path(), BufferConfig::default()).unwrap();
    for _ in 0..records {
        let seq = b.next_seq();
        b.append(seq, 1, format!("record {seq}").as_bytes()).unwrap();
    }
    (dir, Arc::new(Mutex::new(b)))
}

#[test]
fn the_buffer_is_trimmed_only_to_what_every_destination_has() {
    let (_dir, buffer) = buffer_with(10);
    let cursors = Cursors::new(buffer.clone(), 2);
    cursors.stored(0, 7).unwrap();
    assert_eq!(cursors.position(0), 7);
    assert_eq!(cursors.position(1), 0);
    // Destination 1 has nothing yet: every record stays readable for it.
    assert_eq!(buffer.lock().unwrap().acked_seq(), 0);
    assert_eq!(buffer.lock().unwrap().read_from(1, 100, 1 << 20).unwrap().len(), 10);
    cursors.stored(1, 4).unwrap();
    assert_eq!(buffer.lock().unwrap().acked_seq(), 4);
    cursors.stored(1, 9).unwrap();
    assert_eq!(buffer.lock().unwrap().acked_seq(), 7);
    // Positions never move back.
    cursors.stored(0, 3).unwrap();
    assert_eq!(cursors.position(0), 7);
    cursors.stored(0, 10).unwrap();
    assert_eq!(buffer.lock().unwrap().acked_seq(), 9);
}

#[test]
fn a_destination_that_stored_past_our_tail_moves_the_sequence_on_without_trimming_for_the_others() {
    let (_dir, buffer) = buffer_with(5);
    let cursors = Cursors::new(buffer.clone(), 2);
    // Destination 0 reports 8 stored: our records 6..=8 were lost from disk after being sent.
    cursors.stored(0, 8).unwrap();
    let b = buffer.lock().unwrap();
    assert_eq!(b.next_seq(), 9, "no sequence number destination 0 has seen may be reused");
    assert_eq!(b.acked_seq(), 0, "destination 1 still needs records 1..=5");
    assert_eq!(b.read_from(1, 100, 1 << 20).unwrap().len(), 5);
}

#[test]
fn one_destination_trims_at_once() {
    let (_dir, buffer) = buffer_with(3);
    let cursors = Cursors::new(buffer.clone(), 1);
    cursors.stored(0, 2).unwrap();
    assert_eq!(buffer.lock().unwrap().acked_seq(), 2);
}

#[test]
fn reads_at_two_positions_in_turn_each_see_their_records() {
    let (_dir, buffer) = buffer_with(50);
    let b = buffer.lock().unwrap();
    let (mut a, mut c) = (1u64, 20u64);
    for _ in 0..5 {
        let ra = b.read_from(a, 3, 1 << 20).unwrap();
        let rc = b.read_from(c, 3, 1 << 20).unwrap();
        assert_eq!(ra.iter().map(|r| r.seq).collect::<Vec<_>>(), (a..a + 3).collect::<Vec<_>>());
        assert_eq!(rc.iter().map(|r| r.seq).collect::<Vec<_>>(), (c..c + 3).collect::<Vec<_>>());
        assert_eq!(ra[0].payload, format!("record {a}").into_bytes());
        a += 3;
        c += 3;
    }
}

#[test]
fn settings_that_cannot_work_are_refused() {
    let (_dir, buffer) = buffer_with(0);
    let pair = PemPair { cert_pem: String::new(), key_pem: String::new() };
    let mut s = UplinkSettings::new("a".into(), vec![], String::new(), pair);
    assert!(matches!(Uplink::new(s.clone(), buffer.clone()), Err(UplinkError::Settings(m)) if m.contains("no server")));
    s.servers = vec!["h:1".into(), "h:1".into()];
    assert!(matches!(Uplink::new(s, buffer), Err(UplinkError::Settings(m)) if m.contains("twice")));
}

#[test]
fn host_of_strips_the_port_and_brackets() {
    assert_eq!(host_of("agg.example:9701"), "agg.example");
    assert_eq!(host_of("[::1]:9701"), "::1");
    assert_eq!(host_of("127.0.0.1:9701"), "127.0.0.1");
    assert_eq!(host_of("bare"), "bare");
}
