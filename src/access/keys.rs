//! The keys file: a TOML list of API keys, each with a hash of its secret, an optional
//! expiry, permissions, a quota and a rate.
//!
//! ```toml
//! [[key]]
//! id = "kyc-team"
//! secret_hash = "$argon2id$v=19$m=19456,t=2,p=1$..."
//! expires = "2027-12-31T23:59:59Z"   # optional
//! methods = ["RecognizeIdCard"]      # optional: every method when absent
//! sides = ["front", "back"]          # optional: both sides when absent
//! quota = 10000                      # optional: calls per period, unlimited when absent
//! quota_period = "day"               # "day" or "month" (UTC); "day" when absent
//! rate = 5.0                         # optional: calls per second, unlimited when absent
//! burst = 10                         # optional: calls at once; max(1, rate) when absent
//! ```
//!
//! Reading uses serde; editing (`idcard keys add|remove`) goes through `toml_edit`, so the
//! comments an operator wrote survive.

use std::{
    collections::HashSet,
    fmt, fs,
    io::Write,
    path::{Path, PathBuf},
};

use chrono::{DateTime, Utc};
use serde::Deserialize;

pub use crate::core::Side;

/// Why a keys file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeysFileError {
    /// The file could not be read or written.
    #[error("keys file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not have the keys file's shape.
    #[error("keys file {path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What the parser said (it quotes positions, never secrets: the file holds hashes).
        message: String,
    },
    /// A key breaks a rule (bad id, duplicate, zero quota...).
    #[error("keys file {path}: key {id:?}: {problem}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The key's id.
        id: String,
        /// The rule it breaks.
        problem: String,
    },
    /// `keys add` for an id that exists, or `keys remove` for one that does not.
    #[error("keys file {path}: {problem}")]
    Conflict {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
}

/// The period a quota counts calls in, by the UTC calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum QuotaPeriod {
    /// A UTC calendar day.
    #[default]
    Day,
    /// A UTC calendar month.
    Month,
}

impl QuotaPeriod {
    /// The name used in the keys file and in `QuotaFailure`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaPeriod::Day => "day",
            QuotaPeriod::Month => "month",
        }
    }
}

impl fmt::Display for QuotaPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A quota: at most `calls` per `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Calls allowed in one period.
    pub calls: u64,
    /// The period.
    pub period: QuotaPeriod,
}

/// A rate: a token bucket refilled at `per_second`, holding at most `burst` calls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Calls per second, sustained.
    pub per_second: f64,
    /// Calls that may arrive at once.
    pub burst: u32,
}

/// One key as the server checks it.
#[derive(Debug, Clone)]
pub struct ApiKey {
    /// The public id, sent as `x-df-api-id`. Safe to log.
    pub id: String,
    /// The argon2 PHC string of the secret.
    pub secret_hash: String,
    /// After this instant the key is refused with KEY_EXPIRED.
    pub expires: Option<DateTime<Utc>>,
    /// Methods it may call (`None`: all).
    pub methods: Option<HashSet<String>>,
    /// Sides it may read (`None`: both).
    pub sides: Option<HashSet<Side>>,
    /// Its quota, if any.
    pub quota: Option<Quota>,
    /// Its rate, if any.
    pub rate: Option<Rate>,
}

impl ApiKey {
    /// Whether the key may call `method` (the last segment of the gRPC path).
    pub fn may_call(&self, method: &str) -> bool {
        self.methods.as_ref().is_none_or(|m| m.contains(method))
    }

    /// Whether the key may read cards of `side`.
    pub fn may_read(&self, side: Side) -> bool {
        self.sides.as_ref().is_none_or(|s| s.contains(&side))
    }

    /// Whether the key has expired at `now`.
    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_some_and(|expires| now >= expires)
    }
}

/// The on-disk shape of one key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    id: String,
    secret_hash: String,
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    methods: Option<Vec<String>>,
    #[serde(default)]
    sides: Option<Vec<Side>>,
    #[serde(default)]
    quota: Option<u64>,
    #[serde(default)]
    quota_period: Option<QuotaPeriod>,
    #[serde(default)]
    rate: Option<f64>,
    #[serde(default)]
    burst: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    key: Vec<KeyEntry>,
}

/// The methods a key can be given. A typo in the file must not silently deny everything.
pub const METHODS: &[&str] = &["RecognizeIdCard"];

/// Ids are printable and short: they appear in logs, metrics and error details.
pub fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if ok {
        Ok(())
    } else {
        Err("an id is 1-64 characters of A-Z, a-z, 0-9, '-', '_' and '.'".into())
    }
}

/// Parses an RFC 3339 instant, as `--expires` and the file's `expires` take it.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{text:?} is not an RFC 3339 time ({e})"))
}

/// Checks a rate and burst, filling the burst's default.
pub fn rate_from(per_second: f64, burst: Option<u32>) -> Result<Rate, String> {
    if !(per_second.is_finite() && per_second > 0.0) {
        return Err("rate must be a positive number of calls per second".into());
    }
    let burst = burst.unwrap_or_else(|| per_second.ceil().max(1.0) as u32);
    if burst == 0 {
        return Err("burst must be at least 1".into());
    }
    Ok(Rate { per_second, burst })
}

impl KeyEntry {
    fn into_key(self) -> Result<ApiKey, String> {
        check_id(&self.id)?;
        if !self.secret_hash.starts_with("$argon2") {
            return Err("secret_hash must be an argon2 PHC string".into());
        }
        if let Some(created) = &self.created {
            parse_instant(created)?;
        }
        let expires = self.expires.as_deref().map(parse_instant).transpose()?;
        if let Some(methods) = &self.methods {
            if let Some(unknown) = methods.iter().find(|m| !METHODS.contains(&m.as_str())) {
                return Err(format!(
                    "unknown method {unknown:?}; known: {}",
                    METHODS.join(", ")
                ));
            }
        }
        let quota = match (self.quota, self.quota_period) {
            (Some(0), _) => return Err("quota must be at least 1".into()),
            (Some(calls), period) => Some(Quota {
                calls,
                period: period.unwrap_or_default(),
            }),
            (None, Some(_)) => return Err("quota_period without quota".into()),
            (None, None) => None,
        };
        let rate = match (self.rate, self.burst) {
            (Some(rate), burst) => Some(rate_from(rate, burst)?),
            (None, Some(_)) => return Err("burst without rate".into()),
            (None, None) => None,
        };
        Ok(ApiKey {
            id: self.id,
            secret_hash: self.secret_hash,
            expires,
            methods: self.methods.map(|m| m.into_iter().collect()),
            sides: self.sides.map(|s| s.into_iter().collect()),
            quota,
            rate,
        })
    }
}

/// A keys file on disk.
#[derive(Debug, Clone)]
pub struct KeysFile {
    path: PathBuf,
}

impl KeysFile {
    /// The keys file at `path` (not read yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> KeysFileError {
        KeysFileError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Reads and checks every key. One bad key fails the whole file: a server must not
    /// start (or reload) with a key silently missing.
    pub fn load(&self) -> Result<Vec<ApiKey>, KeysFileError> {
        let text = fs::read_to_string(&self.path).map_err(|e| self.io(e))?;
        self.parse(&text)
    }

    fn parse(&self, text: &str) -> Result<Vec<ApiKey>, KeysFileError> {
        let shape: FileShape = toml::from_str(text).map_err(|e| KeysFileError::Syntax {
            path: self.path.clone(),
            message: e.message().to_string(),
        })?;
        let mut seen = HashSet::new();
        let mut keys = Vec::with_capacity(shape.key.len());
        for entry in shape.key {
            let id = entry.id.clone();
            let invalid = |problem: String| KeysFileError::Invalid {
                path: self.path.clone(),
                id: id.clone(),
                problem,
            };
            if !seen.insert(id.clone()) {
                return Err(invalid("listed twice".into()));
            }
            keys.push(entry.into_key().map_err(invalid)?);
        }
        Ok(keys)
    }

    fn read_document(&self) -> Result<(String, toml_edit::DocumentMut), KeysFileError> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::from(HEADER),
            Err(e) => return Err(self.io(e)),
        };
        // Check the whole file first, so that an edit never builds on a broken one.
        self.parse(&text)?;
        let document = text
            .parse()
            .map_err(|e: toml_edit::TomlError| KeysFileError::Syntax {
                path: self.path.clone(),
                message: e.message().to_string(),
            })?;
        Ok((text, document))
    }

    /// Writes through a temporary file and a rename, so that a server reloading the file
    /// never sees half of it. The file holds only hashes, but is kept private anyway.
    fn write_text(&self, text: String) -> Result<(), KeysFileError> {
        self.parse(&text)?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "keys.toml".into());
        let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut options = fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(&temporary)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            fs::rename(&temporary, &self.path)
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&temporary);
            self.io(e)
        })
    }

    /// Adds a key at the end of the file; fails if its id exists. The new entry is
    /// appended as text, so everything already in the file stays exactly as it was.
    pub fn add(&self, key: &NewKey) -> Result<(), KeysFileError> {
        let (text, document) = self.read_document()?;
        if self.load_ids(&document).contains(&key.id) {
            return Err(KeysFileError::Conflict {
                path: self.path.clone(),
                problem: format!("a key with id {:?} exists; remove it first", key.id),
            });
        }
        let mut entry = toml_edit::DocumentMut::new();
        let mut keys = toml_edit::ArrayOfTables::new();
        keys.push(key.to_table());
        entry["key"] = toml_edit::Item::ArrayOfTables(keys);
        let separator = if text.is_empty() || text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        self.write_text(format!("{text}{separator}{entry}"))
    }

    /// Removes the key with `id`; fails if there is none.
    pub fn remove(&self, id: &str) -> Result<(), KeysFileError> {
        let (_, mut document) = self.read_document()?;
        let missing = || KeysFileError::Conflict {
            path: self.path.clone(),
            problem: format!("no key with id {id:?}"),
        };
        let keys = document
            .get_mut("key")
            .and_then(|k| k.as_array_of_tables_mut())
            .ok_or_else(missing)?;
        let before = keys.len();
        // The file's opening comments hang on the first key; keep them when it goes.
        let opening = keys
            .get(0)
            .and_then(|first| first.decor().prefix())
            .and_then(|prefix| prefix.as_str())
            .unwrap_or_default()
            .to_owned();
        keys.retain(|table| table.get("id").and_then(|v| v.as_str()) != Some(id));
        if keys.len() == before {
            return Err(missing());
        }
        if let Some(first) = keys.get_mut(0) {
            let own = first
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or_default()
                .to_owned();
            if own.trim().is_empty() {
                first.decor_mut().set_prefix(opening);
            } else if !own.contains(opening.trim()) {
                first.decor_mut().set_prefix(format!("{opening}{own}"));
            }
        } else {
            document.set_trailing(opening);
        }
        self.write_text(document.to_string())
    }

    fn load_ids(&self, document: &toml_edit::DocumentMut) -> HashSet<String> {
        document
            .get("key")
            .and_then(|k| k.as_array_of_tables())
            .map(|keys| {
                keys.iter()
                    .filter_map(|t| t.get("id").and_then(|v| v.as_str()).map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

const HEADER: &str = "# API keys of idcard-server. Edit with `idcard keys add|list|remove`;\n\
# the server reloads this file when it changes or on SIGHUP.\n";

/// A key to add, as `idcard keys add` takes it.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// Its id.
    pub id: String,
    /// The argon2 hash of its secret.
    pub secret_hash: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// When it expires.
    pub expires: Option<DateTime<Utc>>,
    /// Sides it may read (`None`: both).
    pub sides: Option<Vec<Side>>,
    /// Its quota.
    pub quota: Option<Quota>,
    /// Its rate.
    pub rate: Option<Rate>,
}

impl NewKey {
    fn to_table(&self) -> toml_edit::Table {
        use toml_edit::value;
        let rfc3339 = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut table = toml_edit::Table::new();
        table["id"] = value(self.id.as_str());
        table["secret_hash"] = value(self.secret_hash.as_str());
        table["created"] = value(rfc3339(&self.created));
        if let Some(expires) = &self.expires {
            table["expires"] = value(rfc3339(expires));
        }
        if let Some(sides) = &self.sides {
            let list: toml_edit::Array = sides.iter().map(|s| s.as_str()).collect();
            table["sides"] = value(list);
        }
        if let Some(quota) = &self.quota {
            table["quota"] = value(quota.calls as i64);
            table["quota_period"] = value(quota.period.as_str());
        }
        if let Some(rate) = &self.rate {
            table["rate"] = value(rate.per_second);
            table["burst"] = value(i64::from(rate.burst));
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(text: &str) -> Result<Vec<ApiKey>, KeysFileError> {
        KeysFile::new("test.toml").parse(text)
    }

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    #[test]
    fn reads_a_full_key_and_defaults() {
        let keys = file_with(&format!(
            "[[key]]\nid = \"a\"\nsecret_hash = \"{HASH}\"\nexpires = \"2030-01-01T00:00:00+02:00\"\n\
             sides = [\"front\"]\nquota = 5\nrate = 2.5\n\n[[key]]\nid = \"b\"\nsecret_hash = \"{HASH}\"\n"
        ))
        .unwrap();
        assert_eq!(keys.len(), 2);
        let a = &keys[0];
        assert_eq!(a.expires.unwrap().to_rfc3339(), "2029-12-31T22:00:00+00:00");
        assert!(a.may_read(Side::Front) && !a.may_read(Side::Back));
        assert_eq!(a.quota.unwrap().period, QuotaPeriod::Day);
        assert_eq!(a.rate.unwrap().burst, 3);
        let b = &keys[1];
        assert!(b.may_read(Side::Back) && b.may_call("RecognizeIdCard"));
        assert!(b.quota.is_none() && b.rate.is_none() && b.expires.is_none());
    }

    #[test]
    fn refuses_bad_keys_by_name() {
        let bad = [
            ("id = \"has space\"", "an id is"),
            ("id = \"x\"\nquota = 0", "quota must be"),
            ("id = \"x\"\nrate = -1.0", "rate must be"),
            ("id = \"x\"\nburst = 3", "burst without rate"),
            ("id = \"x\"\nmethods = [\"Recognise\"]", "unknown method"),
            ("id = \"x\"\nexpires = \"tomorrow\"", "RFC 3339"),
        ];
        for (fields, expected) in bad {
            let error = file_with(&format!("[[key]]\n{fields}\nsecret_hash = \"{HASH}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{fields}: {error}");
        }
        let twice = format!("[[key]]\nid = \"x\"\nsecret_hash = \"{HASH}\"\n").repeat(2);
        assert!(file_with(&twice).unwrap_err().to_string().contains("twice"));
        assert!(matches!(
            file_with("[[key]]\nid = \"x\"\nsecret = \"plain\"\n"),
            Err(KeysFileError::Syntax { .. })
        ));
    }

    #[test]
    fn add_and_remove_keep_comments() {
        let dir = std::env::temp_dir().join(format!("idcard-keys-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keys.toml");
        fs::write(&path, "# operator's note\n").unwrap();
        let file = KeysFile::new(&path);
        let key = |id: &str| NewKey {
            id: id.into(),
            secret_hash: HASH.into(),
            created: Utc::now(),
            expires: None,
            sides: Some(vec![Side::Back]),
            quota: Some(Quota {
                calls: 10,
                period: QuotaPeriod::Month,
            }),
            rate: Some(Rate {
                per_second: 1.5,
                burst: 4,
            }),
        };
        file.add(&key("one")).unwrap();
        file.add(&key("two")).unwrap();
        assert!(matches!(
            file.add(&key("one")),
            Err(KeysFileError::Conflict { .. })
        ));
        let keys = file.load().unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(
            keys[0].rate,
            Some(Rate {
                per_second: 1.5,
                burst: 4
            })
        );
        assert_eq!(keys[1].quota.unwrap().period, QuotaPeriod::Month);
        file.remove("one").unwrap();
        assert!(file.remove("one").is_err());
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# operator's note\n"), "{text}");
        assert_eq!(text.matches("operator's note").count(), 1, "{text}");
        assert_eq!(file.load().unwrap()[0].id, "two");
        fs::remove_dir_all(&dir).unwrap();
    }
}
