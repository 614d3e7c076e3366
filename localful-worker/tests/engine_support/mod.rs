//! A real localful-server for native engine and host tests: in-process, on its own thread and
//! runtime, SQLite in a temp dir, restartable on the same port and database, and restorable from
//! a copy of its data (a backup).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::oneshot;

pub fn uuid_like() -> String {
    localful_core::VaultId::new().to_string()
}

/// A localful-server on its own thread and runtime, restartable on the same port and database.
pub struct TestServer {
    dir: PathBuf,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    tweak: std::sync::Arc<dyn Fn(&mut localful_server::Config) + Send + Sync>,
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    pub fn start_with(tweak: impl Fn(&mut localful_server::Config) + Send + Sync + 'static) -> Self {
        let dir = std::env::temp_dir().join(format!("localful-engine-{}", uuid_like()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut s = TestServer {
            dir,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stop: None,
            thread: None,
            tweak: std::sync::Arc::new(tweak),
        };
        s.boot();
        s
    }

    fn boot(&mut self) {
        let mut config = localful_server::Config::for_tests(&self.dir);
        config.bind = self.addr;
        config.allowed_origins = vec!["*".into()];
        (self.tweak)(&mut config);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let server = localful_server::Server::bind(config).await.expect("bind");
                addr_tx.send(server.local_addr().unwrap()).unwrap();
                server
                    .run(async move {
                        let _ = stop_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        self.addr = addr_rx.recv_timeout(Duration::from_secs(30)).expect("server started");
        self.stop = Some(stop_tx);
        self.thread = Some(thread);
    }

    pub fn halt(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    pub fn restart(&mut self) {
        self.halt();
        self.boot();
    }

    /// Copies the data directory aside (halted, so the SQLite files are consistent) and starts
    /// again; returns the copy, for [`restore`](Self::restore).
    pub fn backup(&mut self) -> PathBuf {
        self.halt();
        let copy = self.dir.with_extension("backup");
        copy_dir(&self.dir, &copy);
        self.boot();
        copy
    }

    /// Replaces the data directory by `backup` (everything written since is lost) and starts again
    /// on the same port.
    pub fn restore(&mut self, backup: &Path) {
        self.halt();
        std::fs::remove_dir_all(&self.dir).unwrap();
        copy_dir(backup, &self.dir);
        self.boot();
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.halt();
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_dir_all(self.dir.with_extension("backup"));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
