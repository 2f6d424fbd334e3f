//! vraagbaak helps Dutch municipalities answer residents.
pub mod kb;
pub mod search;
