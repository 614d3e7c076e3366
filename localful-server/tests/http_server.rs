//! The server over real HTTP on 127.0.0.1.

use localful_server::{Config, Server};

async fn start() -> (String, tokio::sync::oneshot::Sender<()>, tempdir::Dir) {
    let dir = tempdir::Dir::new();
    let server = Server::bind(Config::for_tests(dir.path())).await.expect("bind");
    let base = format!("http://{}", server.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    (base, tx, dir)
}

mod tempdir {
    /// A directory removed on drop.
    pub(crate) struct Dir(std::path::PathBuf);
    impl Dir {
        pub(crate) fn new() -> Self {
            let p = std::env::temp_dir().join(format!("localful-test-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&p).expect("mkdir");
            Self(p)
        }
        pub(crate) fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[tokio::test]
async fn health_and_info_answer_json() {
    let (base, _stop, _dir) = start().await;
    let health: serde_json::Value = reqwest::get(format!("{base}/v1/server/health")).await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let info: serde_json::Value = reqwest::get(format!("{base}/v1/server/info")).await.unwrap().json().await.unwrap();
    assert_eq!(info["registrationEnabled"], true);
}

#[tokio::test]
async fn unknown_route_is_a_typed_404() {
    let (base, _stop, _dir) = start().await;
    let res = reqwest::get(format!("{base}/v1/nope")).await.unwrap();
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["identifier"], "not-found");
    assert_eq!(body["statusCode"], 404);
}
