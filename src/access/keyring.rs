//! The live key set: looked up on every call, replaced whole when the keys file changes.
//!
//! A reload builds a new set and swaps it in; calls in flight keep the `Arc` of the key
//! they were admitted with, so nothing is dropped. A file that fails to load leaves the
//! old set in place.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, SystemTime},
};

use rand::RngCore;
use tokio::sync::Semaphore;

use super::{
    keys::{ApiKey, KeysFile, KeysFileError},
    secret::{self, SecretDigest},
};

/// The outcome of checking a caller's credentials.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// The id exists and the secret matches.
    Known(Arc<ApiKey>),
    /// No key has this id.
    UnknownId,
    /// The id exists; the secret does not match.
    WrongSecret,
}

/// How many argon2 checks may run at once. Each takes tens of milliseconds of CPU and
/// 19 MiB: a flood of wrong secrets must not take every core from recognition.
const PARALLEL_VERIFICATIONS: usize = 2;

/// See the module documentation.
#[derive(Debug)]
pub struct Keyring {
    file: KeysFile,
    keys: RwLock<Arc<HashMap<String, Arc<ApiKey>>>>,
    /// Secrets already verified, by key id, with the hash they were verified against (a
    /// changed hash invalidates the entry).
    verified: Mutex<HashMap<String, (String, SecretDigest)>>,
    salt: [u8; 32],
    verifications: Semaphore,
    /// The version of the file the keys in use were read from.
    loaded: Mutex<Option<Stamp>>,
}

/// What identifies a version of the file cheaply: time, size and inode.
type Stamp = (SystemTime, u64, u64);

impl Keyring {
    /// Loads `file`; fails if it cannot be read or holds a bad key.
    pub fn load(file: KeysFile) -> Result<Self, KeysFileError> {
        // Stamped before reading: a change in between is seen again, never missed.
        let loaded = stamp(file.path());
        let keys = index(file.load()?);
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Ok(Self {
            file,
            keys: RwLock::new(Arc::new(keys)),
            verified: Mutex::new(HashMap::new()),
            salt,
            verifications: Semaphore::new(PARALLEL_VERIFICATIONS),
            loaded: Mutex::new(loaded),
        })
    }

    /// The keys file.
    pub fn file(&self) -> &KeysFile {
        &self.file
    }

    /// How many keys are loaded.
    pub fn len(&self) -> usize {
        self.snapshot().len()
    }

    /// Whether no key is loaded (every call is then refused).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn snapshot(&self) -> Arc<HashMap<String, Arc<ApiKey>>> {
        Arc::clone(&self.keys.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads the file again and swaps the new set in; on error keeps the old one.
    pub fn reload(&self) -> Result<usize, KeysFileError> {
        let version = stamp(self.file.path());
        // Even a failed load marks this version as seen, so a broken file is reported
        // once, not every second.
        *self.loaded.lock().unwrap_or_else(|e| e.into_inner()) = version;
        let keys = index(self.file.load()?);
        let count = keys.len();
        *self.keys.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(keys);
        Ok(count)
    }

    /// Checks `id` and `secret`. The first success for a secret runs argon2 (off the
    /// async threads, a bounded number at once); later ones compare a digest in constant
    /// time.
    pub async fn authenticate(&self, id: &str, secret: &str) -> Verdict {
        let Some(key) = self.snapshot().get(id).cloned() else {
            return Verdict::UnknownId;
        };
        let digest = SecretDigest::of(&self.salt, secret);
        if let Some((hash, known)) = self
            .verified
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
        {
            if *hash == key.secret_hash && known.matches(&digest) {
                return Verdict::Known(key);
            }
        }
        let Ok(_permit) = self.verifications.acquire().await else {
            return Verdict::WrongSecret;
        };
        let secret = secret.to_owned();
        let hash = key.secret_hash.clone();
        let matches = tokio::task::spawn_blocking(move || secret::verify(&secret, &hash))
            .await
            .unwrap_or(false);
        if !matches {
            return Verdict::WrongSecret;
        }
        self.verified
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned(), (key.secret_hash.clone(), digest));
        Verdict::Known(key)
    }

    /// Reloads the file when it changes (checked every `poll`) and on SIGHUP, until the
    /// returned task is aborted. Polling the file's size and time is used rather than
    /// inotify because it also sees the rename an atomic editor (and `idcard keys`) does.
    pub fn watch(self: Arc<Self>, poll: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut hangup =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
            let mut ticker = tokio::time::interval(poll);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let cause = tokio::select! {
                    _ = ticker.tick() => {
                        let loaded = *self.loaded.lock().unwrap_or_else(|e| e.into_inner());
                        if stamp(self.file.path()) == loaded {
                            continue;
                        }
                        "file changed"
                    }
                    Some(()) = async {
                        match hangup.as_mut() {
                            Some(signal) => signal.recv().await,
                            None => std::future::pending().await,
                        }
                    } => "SIGHUP",
                };
                match self.reload() {
                    Ok(keys) => tracing::info!(cause, keys, "keys file reloaded"),
                    Err(error) => {
                        tracing::error!(cause, %error, "keys file not reloaded; keeping the keys in use")
                    }
                }
            }
        })
    }
}

fn index(keys: Vec<ApiKey>) -> HashMap<String, Arc<ApiKey>> {
    keys.into_iter()
        .map(|key| (key.id.clone(), Arc::new(key)))
        .collect()
}

fn stamp(path: &std::path::Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.modified().ok()?, meta.len(), inode))
}
