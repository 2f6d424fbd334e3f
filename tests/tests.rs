//! One integration-test binary (one link step on a 2-core CI).

mod common;

mod archive;
mod auth;
mod bot;
mod bot_offer;
mod cli;
mod confidence;
mod e2e;
mod engine;
mod eval_gate;
mod inbox_promise;
mod kb_api;
mod kb_parsing;
mod kb_write;
mod limits;
mod privacy;
mod privacy_generated;
mod reload;
mod reload_server;
mod render;
mod reply_api;
mod restart;
mod web;
mod whatsapp;
mod whatsapp_crash;
mod whatsapp_fixtures;
mod whatsapp_kinds;
mod whatsapp_media;
mod whatsapp_updates;
mod whatsapp_window;
mod window_loose_ends;
mod workspace;
