//! A `localful-server` binary run as a child process (its own memory, its own clock).

use std::{process::Stdio, time::Duration};
use tokio::io::{AsyncBufReadExt, BufReader};

/// A `localful-server` child process, killed when dropped.
pub struct Proc {
    pub child: tokio::process::Child,
    pub base: String,
}

impl Proc {
    /// Starts the binary on an ephemeral port with the test origin allowed, the token secret
    /// from the database, every other setting at its default (none inherited from the test's
    /// environment) but `envs` (the database URL, costs, limits); returns once it listens.
    pub async fn spawn(envs: &[(&str, &str)]) -> Proc {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_localful-server"));
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("LOCALFUL_") {
                cmd.env_remove(name);
            }
        }
        cmd.env("LOCALFUL_BIND", "127.0.0.1:0")
            .env("LOCALFUL_ALLOWED_ORIGINS", "http://allowed.test")
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).kill_on_drop(true).spawn().expect("spawn localful-server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let addr = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains("listening") {
                    let at = line.find("addr=").expect("addr in log line") + 5;
                    return line[at..].split_whitespace().next().expect("an address").to_string();
                }
            }
            panic!("server exited before listening");
        })
        .await
        .expect("server listening in time");
        // Keep draining the logs so the child never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Proc { child, base: format!("http://{addr}") }
    }

    /// A line of the child's `/proc/<pid>/status` (such as `VmHWM`, its peak resident memory)
    /// in KiB.
    pub fn status_kib(&self, field: &str) -> u64 {
        let pid = self.child.id().expect("the server is running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().strip_suffix("kB")?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
    }
}
