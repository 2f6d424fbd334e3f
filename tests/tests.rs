//! One integration-test binary (one link step on a 2-core CI).

mod common;

mod auth;
mod bot;
mod cli;
mod e2e;
mod engine;
mod eval_gate;
mod inbox_promise;
mod kb_parsing;
mod limits;
mod privacy;
mod privacy_generated;
mod reload;
mod reload_server;
mod render;
mod restart;
mod web;
mod whatsapp;
mod whatsapp_crash;
mod whatsapp_media;
mod workspace;
