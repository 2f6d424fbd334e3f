//! What an API key may do. A key has a set of scopes; `suggest,conversations` unless its
//! creator chose others.

use std::fmt;
use std::str::FromStr;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

/// One kind of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// `POST /api/v1/suggest`.
    Suggest,
    /// Posting resident messages, reading and answering conversations.
    Conversations,
    /// Reading and editing knowledge-base articles, gaps, reloads.
    Kb,
    /// Reports on what residents ask and how they are answered.
    Reports,
}

impl Scope {
    pub const ALL: [Scope; 4] = [
        Scope::Suggest,
        Scope::Conversations,
        Scope::Kb,
        Scope::Reports,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Suggest => "suggest",
            Scope::Conversations => "conversations",
            Scope::Kb => "kb",
            Scope::Reports => "reports",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    /// What a key gets when its creator names no scopes.
    pub const DEFAULT: Scopes = Scopes(1 << Scope::Suggest as u8 | 1 << Scope::Conversations as u8);

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes::DEFAULT
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        Scopes(iter.into_iter().fold(0, |bits, s| bits | s.bit()))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(","))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("unknown scope `{0}`: expected suggest, conversations, kb or reports")]
    Unknown(String),
    #[error("no scopes given: name at least one of suggest, conversations, kb, reports")]
    Empty,
}

impl FromStr for Scopes {
    type Err = ScopeError;

    /// `suggest,kb` (spaces allowed, repeats ignored).
    fn from_str(s: &str) -> Result<Self, ScopeError> {
        let scopes = s
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| {
                Scope::ALL
                    .into_iter()
                    .find(|scope| scope.as_str() == name)
                    .ok_or_else(|| ScopeError::Unknown(name.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if scopes.is_empty() {
            return Err(ScopeError::Empty);
        }
        Ok(scopes.into_iter().collect())
    }
}

impl ToSql for Scopes {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.to_string().into())
    }
}

impl FromSql for Scopes {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|err| FromSqlError::Other(Box::new(err)))
    }
}

impl Serialize for Scopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_and_write_as_a_comma_list() {
        let scopes: Scopes = " kb, suggest ,kb".parse().expect("valid");
        assert!(scopes.contains(Scope::Kb) && scopes.contains(Scope::Suggest));
        assert!(!scopes.contains(Scope::Conversations) && !scopes.contains(Scope::Reports));
        assert_eq!(scopes.to_string(), "suggest,kb");
        assert_eq!(Scopes::DEFAULT.to_string(), "suggest,conversations");
    }

    #[test]
    fn unknown_and_empty_scope_lists_are_refused_by_name() {
        assert_eq!(
            "suggest,admin".parse::<Scopes>(),
            Err(ScopeError::Unknown("admin".into()))
        );
        assert_eq!(" , ".parse::<Scopes>(), Err(ScopeError::Empty));
    }
}
