//! casedesk: case management for integrated student support (학생맞춤통합지원) — the library
//! behind the `casedesk` binary.

pub mod app;
pub mod backend;
pub mod cells;
pub mod cli;
pub mod closing_days;
pub mod diagnostics;
pub mod domain;
pub mod fsio;
pub mod i18n;
pub mod keymap;
pub mod server;
pub mod store;
pub mod transfer;
pub mod tui;
pub mod ui;
