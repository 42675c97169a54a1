//! A `corral serve` child process for the tests of commands that talk to a server: started
//! on a free loopback port with a fresh data directory, its URL and one-time admin token read
//! from its output, killed when dropped.

#![allow(dead_code)] // each test binary uses its own subset

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

pub fn corral() -> Command {
    Command::new(env!("CARGO_BIN_EXE_corral"))
}

pub struct Server {
    pub child: std::process::Child,
    pub url: String,
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(data_dir: &Path) -> Server {
    let mut child = corral()
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("CORRAL_DATABASE_URL")
        .env_remove("CORRAL_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("corral serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = String::new();
    let mut token = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("is serving at ").nth(1) {
            url = rest.trim().to_string();
        }
        if line.trim().starts_with("corral_") {
            token = line.trim().to_string();
        }
        if line.contains("export CORRAL_TOKEN") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(token.len(), "corral_".len() + 64, "{token}");
    Server { child, url, token }
}
