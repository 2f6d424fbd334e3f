//! The reports page for team leads and admins (`/rapportages`).
//!
//! ```text
//! mod.rs     the page: filters, sections, CSV downloads
//! charts.rs  inline SVG charts, each with the same numbers as a table
//! ```

pub mod charts;
