//! Where the engine gets secret values for a run.
//!
//! A job names secrets (`CRM_TOKEN = "crm-token"`); just before a run starts the engine asks
//! a [`SecretSource`] for their values. A missing or undecryptable secret fails the run
//! before anything starts, with the secret's *name* in the note — never its value.
//!
//! The source is asked for a whole job, because on a server secrets belong to a job
//! (`corral secrets set JOB NAME`) and live in the database, so looking them up is
//! asynchronous; the local sources below hold one set of secrets for every job.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use corral_secretbox::{MasterKey, SecretFile, SecretValue};

use crate::records::Job;

/// What a lookup yields: (variable name, value) pairs, or why the run cannot start.
pub type Resolved = Result<Vec<(String, SecretValue)>, String>;

pub trait SecretSource: Send + Sync {
    /// The values of [`Job::secret_references`] (variable name, or the source's token →
    /// secret name), as (variable name, value).
    fn resolve_for<'a>(
        &'a self,
        job: &'a Job,
    ) -> Pin<Box<dyn Future<Output = Resolved> + Send + 'a>>;
}

/// Secrets given in memory (tests, benchmarks).
#[derive(Debug, Default)]
pub struct StaticSecrets(pub HashMap<String, SecretValue>);

impl SecretSource for StaticSecrets {
    fn resolve_for<'a>(
        &'a self,
        job: &'a Job,
    ) -> Pin<Box<dyn Future<Output = Resolved> + Send + 'a>> {
        Box::pin(std::future::ready(self.resolve(&job.secret_references())))
    }
}

impl StaticSecrets {
    /// The values for `wanted` (variable name → secret name).
    pub fn resolve(
        &self,
        wanted: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, SecretValue)>, String> {
        wanted
            .iter()
            .map(|(var, name)| {
                self.0
                    .get(name)
                    .map(|v| (var.clone(), v.clone()))
                    .ok_or_else(|| format!("secret `{name}` (for {var}) does not exist"))
            })
            .collect()
    }
}

/// The local sealed secret file, opened with the master key.
pub struct LocalSecrets {
    file: Mutex<SecretFile>,
    master: MasterKey,
}

impl LocalSecrets {
    pub fn new(file: SecretFile, master: MasterKey) -> Self {
        Self {
            file: Mutex::new(file),
            master,
        }
    }
}

impl SecretSource for LocalSecrets {
    fn resolve_for<'a>(
        &'a self,
        job: &'a Job,
    ) -> Pin<Box<dyn Future<Output = Resolved> + Send + 'a>> {
        Box::pin(std::future::ready(self.resolve(&job.secret_references())))
    }
}

impl LocalSecrets {
    /// The values for `wanted` (variable name → secret name).
    pub fn resolve(
        &self,
        wanted: &BTreeMap<String, String>,
    ) -> Result<Vec<(String, SecretValue)>, String> {
        let file = self.file.lock().expect("secret file lock");
        wanted
            .iter()
            .map(|(var, name)| {
                file.get(&self.master, name)
                    .map(|v| (var.clone(), v))
                    .map_err(|e| format!("{e} (needed for {var})"))
            })
            .collect()
    }
}
