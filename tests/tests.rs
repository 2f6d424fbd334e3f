//! One integration-test binary (one link step on a 2-core CI).

mod common;

mod bot;
mod cli;
mod e2e;
mod engine;
mod eval_gate;
mod kb_parsing;
mod privacy;
mod reload;
mod reload_server;
mod restart;
mod web;
mod whatsapp;
mod whatsapp_crash;
mod workspace;
