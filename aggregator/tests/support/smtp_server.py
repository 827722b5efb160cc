#!/usr/bin/env python3
"""A test SMTP server (aiosmtpd) for aggregator/tests/receivers.rs.

Listens on 127.0.0.1 (or --host) on a free port (or --port) and prints "PORT <n>" on stdout once ready. Each message
received is saved as <dir>/<n>.json: envelope sender and recipients, whether the session was
encrypted, the authenticated user, and the raw message.

Options:
  --dir DIR               where to save messages (required)
  --cert PEM --key PEM    offer STARTTLS with this certificate
  --require-starttls      refuse mail before STARTTLS
  --implicit-tls          TLS from the first byte (SMTPS) instead of STARTTLS
  --auth USER:PASSWORD    require AUTH (PLAIN/LOGIN) with these credentials
  --port N                listen on this port instead of a free one
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import ssl
import sys
import warnings

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    print("aiosmtpd is not installed: pip install aiosmtpd", file=sys.stderr)
    sys.exit(3)


class Saver:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            # STARTTLS sets session.ssl; implicit TLS shows on the transport only.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None,
            "auth_mechanism": getattr(session, "pharos_auth_mechanism", None),
            "data": envelope.content.decode("utf-8", "replace"),
        }
        # An independent MIME parse: decoded headers and the decoded body parts.
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record["headers"] = {k: str(v) for k, v in msg.items()}
        record["content_type"] = msg.get_content_type()
        record["parts"] = [
            {"content_type": part.get_content_type(), "body": part.get_content()}
            for part in msg.iter_parts()
        ] if msg.is_multipart() else []
        tmp = os.path.join(self.directory, f".{self.count}.tmp")
        with open(tmp, "w") as f:
            json.dump(record, f)
        # Rename so the reader never sees a half-written file.
        os.rename(tmp, os.path.join(self.directory, f"{self.count}.json"))
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    # Failed handshakes are expected in the tests; keep aiosmtpd's tracebacks quiet.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

    ctx = None
    if a.cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)

    authenticator = None
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == user
                and auth_data.password.decode() == password
            )
            session.pharos_auth_mechanism = mechanism
            # auth_data is kept in the session, where handle_DATA reads the user; handled=False
            # makes aiosmtpd answer a failure itself (535).
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

    handler = Saver(a.dir)

    def factory():
        return SMTP(
            handler,
            hostname="test.smtp",
            tls_context=None if a.implicit_tls else ctx,
            require_starttls=a.require_starttls,
            authenticator=authenticator,
            auth_required=authenticator is not None,
            auth_require_tls=False,
        )

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(factory, a.host, a.port, ssl=ctx if a.implicit_tls else None)
    )
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
