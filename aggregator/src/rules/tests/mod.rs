//! Tests of rule files, evaluation, restoration, the manager and the API shapes.

mod alerting;
mod api;
mod expand;
mod file;
mod group;
mod manager;
mod recording;
mod restore;
mod support;
