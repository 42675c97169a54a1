//! Opening the server's database from the command line, for commands an operator runs on
//! the server's machine without a running server (`corral audit`, `corral users`).

use std::path::Path;

use anyhow::{Context, Result, bail};
use corral_store::{Store, StoreOptions};

/// The store in `data_dir` (its `corral.db`), or at `database_url`; refuses, naming the
/// flags, when neither exists rather than creating an empty database by mistake.
pub async fn open_local_store(data_dir: &Path, database_url: Option<&str>) -> Result<Store> {
    let embedded = data_dir.join(corral_store::SQLITE_FILE_NAME);
    if database_url.is_none() && !embedded.is_file() {
        bail!(
            "there is no Corral database at {}: pass --data-dir (the server's data \
             directory) or --database-url",
            embedded.display()
        );
    }
    let options = StoreOptions::new(data_dir)
        .database_url(database_url)
        .connect_timeout(std::time::Duration::from_secs(5));
    Store::open_with(options)
        .await
        .with_context(|| format!("cannot open the database in {}", data_dir.display()))
}
