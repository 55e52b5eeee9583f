//! Rencontre behind a real nginx, run from the shipped
//! `config/nginx.example.conf` (only its ports, paths and certificate are
//! rewritten), with TLS on a certificate made by `openssl` for the test.
//! Clients are distinct loopback addresses (127.0.0.2, 127.0.0.3, …); the
//! application trusts only 127.0.0.1, the address nginx connects from.

use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{EventSpec, TestApp, create_event, delegate, manifest_dir};

/// nginx as a child process with a folder of its own.
struct Nginx {
    child: Child,
    dir: PathBuf,
    https_port: u16,
    certificate: reqwest::Certificate,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Replaces the one line of the example that `from` names, so that a
/// change of the example that the test no longer matches fails loudly.
fn rewrite(config: &mut String, from: &str, to: &str) {
    assert_eq!(
        config.matches(from).count(),
        1,
        "config/nginx.example.conf has no single `{from}`"
    );
    *config = config.replace(from, to);
}

fn run(command: &mut Command) {
    let output = command.output().expect("run a command");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Nginx {
    /// nginx in front of the application listening on `app_port`.
    fn start(app_port: u16) -> Nginx {
        let binary = Command::new(manifest_dir().join("scripts/nginx.sh"))
            .stderr(Stdio::inherit())
            .output()
            .expect("run scripts/nginx.sh");
        assert!(
            binary.status.success(),
            "scripts/nginx.sh found no nginx (see its message above)"
        );
        let binary = String::from_utf8_lossy(&binary.stdout).trim().to_owned();

        let dir =
            std::env::temp_dir().join(format!("rencontre-nginx-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("nginx folder");
        // A certificate authority of the run's own, and nginx's certificate
        // signed by it (the client trusts only that authority).
        let (authority, authority_key) = (dir.join("ca.pem"), dir.join("ca.key"));
        let (certificate, key, request) = (
            dir.join("cert.pem"),
            dir.join("key.pem"),
            dir.join("cert.csr"),
        );
        let extensions = dir.join("cert.ext");
        std::fs::write(
            &extensions,
            "basicConstraints=critical,CA:FALSE\n\
             subjectAltName=DNS:localhost,IP:127.0.0.1\n\
             extendedKeyUsage=serverAuth\n",
        )
        .expect("extensions");
        let new_key = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        run(Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-days",
                "1",
                "-subj",
                "/CN=Rencontre test authority",
            ])
            .args(new_key)
            .args(["-keyout", path(&authority_key), "-out", path(&authority)]));
        run(Command::new("openssl")
            .args(["req", "-new", "-subj", "/CN=localhost"])
            .args(new_key)
            .args(["-keyout", path(&key), "-out", path(&request)]));
        run(Command::new("openssl").args([
            "x509",
            "-req",
            "-days",
            "1",
            "-in",
            path(&request),
            "-CA",
            path(&authority),
            "-CAkey",
            path(&authority_key),
            "-CAcreateserial",
            "-extfile",
            path(&extensions),
            "-out",
            path(&certificate),
        ]));

        let (http_port, https_port) = (free_port(), free_port());
        let mut config = std::fs::read_to_string(manifest_dir().join("config/nginx.example.conf"))
            .expect("config/nginx.example.conf");
        let d = path(&dir);
        rewrite(
            &mut config,
            "pid /run/nginx.pid;",
            &format!("pid {d}/nginx.pid;"),
        );
        rewrite(
            &mut config,
            "error_log /var/log/nginx/error.log warn;",
            &format!("error_log {d}/error.log warn;"),
        );
        rewrite(
            &mut config,
            "access_log /var/log/nginx/access.log;",
            &format!(
                "access_log {d}/access.log;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;"
            ),
        );
        rewrite(
            &mut config,
            "listen 80;",
            &format!("listen 127.0.0.1:{http_port};"),
        );
        rewrite(&mut config, "listen [::]:80;", "");
        rewrite(
            &mut config,
            "listen 443 ssl;",
            &format!("listen 127.0.0.1:{https_port} ssl;"),
        );
        rewrite(&mut config, "listen [::]:443 ssl;", "");
        rewrite(
            &mut config,
            "server 127.0.0.1:8080;",
            &format!("server 127.0.0.1:{app_port};"),
        );
        rewrite(
            &mut config,
            "/etc/letsencrypt/live/inscription.example.org/fullchain.pem",
            path(&certificate),
        );
        rewrite(
            &mut config,
            "/etc/letsencrypt/live/inscription.example.org/privkey.pem",
            path(&key),
        );
        let config_file = dir.join("nginx.conf");
        std::fs::write(&config_file, config).expect("write nginx.conf");

        // One process in the foreground: killing it leaves nothing behind.
        let child = Command::new(&binary)
            .args(["-p", d, "-e", &format!("{d}/error.log"), "-c"])
            .arg(&config_file)
            .args(["-g", "daemon off; master_process off;"])
            .stdin(Stdio::null())
            .spawn()
            .expect("start nginx");
        let pem = std::fs::read(&authority).expect("certificate authority");
        let mut nginx = Nginx {
            child,
            dir,
            https_port,
            certificate: reqwest::Certificate::from_pem(&pem).expect("certificate"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", https_port)).is_err() {
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
                panic!("nginx stopped ({status}):\n{log}");
            }
            assert!(Instant::now() < deadline, "nginx did not listen in 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        nginx
    }

    fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.https_port)
    }

    /// A client connecting to nginx from `127.0.0.{host}`.
    fn client_from(&self, host: u8) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
            .add_root_certificate(self.certificate.clone())
            .resolve(
                "localhost",
                std::net::SocketAddr::from(([127, 0, 0, 1], self.https_port)),
            )
            .build()
            .expect("client")
    }
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

async fn behind_nginx(registrations_per_minute: u32) -> (TestApp, Nginx) {
    let app = TestApp::spawn_with(|settings| {
        settings.http.registrations_per_minute = registrations_per_minute;
        settings.http.trusted_proxies = vec!["127.0.0.1".to_owned()];
    })
    .await;
    create_event(&app.pool, EventSpec::default()).await;
    let port = app
        .address
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("the app's port");
    let nginx = Nginx::start(port);
    (app, nginx)
}

const REGISTRATIONS: &str = "/api/v1/events/lima-1997/registrations";

async fn post_garbage(client: &reqwest::Client, url: &str, forged: Option<&str>) -> u16 {
    let mut request = client.post(url).json(&json!({"email": "not an address"}));
    if let Some(forged) = forged {
        request = request
            .header("X-Forwarded-For", forged)
            .header("Forwarded", format!("for={forged}"));
    }
    request.send().await.expect("request").status().as_u16()
}

#[tokio::test]
async fn behind_nginx_each_client_has_its_own_bucket_and_cannot_forge_another() {
    let (_app, nginx) = behind_nginx(3).await;
    let url = nginx.url(REGISTRATIONS);
    let attacker = nginx.client_from(2);

    // Issue 13, case 1: three garbage posts, each refused on its own...
    for _ in 0..3 {
        assert_eq!(post_garbage(&attacker, &url, None).await, 422);
    }
    // ...then the attacker's bucket is empty, whatever address it claims.
    for forged in ["203.0.113.9", "127.0.0.3", "127.0.0.1", "unknown"] {
        assert_eq!(
            post_garbage(&attacker, &url, Some(forged)).await,
            429,
            "claiming {forged}"
        );
    }
    // A delegate elsewhere registers: the proxy no longer pools everyone.
    let delegate_client = nginx.client_from(3);
    let registered = delegate_client
        .post(&url)
        .json(&delegate(1, "PE"))
        .send()
        .await
        .expect("request");
    assert_eq!(registered.status(), 201);
    let body: Value = registered.json().await.expect("json");
    assert!(body["manage_url"].is_string(), "{body}");
    // The limit still holds for them too, per client.
    for _ in 0..2 {
        assert_eq!(post_garbage(&delegate_client, &url, None).await, 422);
    }
    assert_eq!(post_garbage(&delegate_client, &url, None).await, 429);
    let refused = delegate_client
        .post(&url)
        .json(&delegate(2, "PE"))
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_request_around_the_proxy_is_counted_on_its_own_peer() {
    let (app, nginx) = behind_nginx(3).await;
    let direct = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 4)))
        .build()
        .expect("client");
    let straight = app.url(REGISTRATIONS);
    // Each claims another client; all are counted on 127.0.0.4.
    for forged in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        assert_eq!(post_garbage(&direct, &straight, Some(forged)).await, 422);
    }
    assert_eq!(
        post_garbage(&direct, &straight, Some("198.51.100.4")).await,
        429
    );
    // The addresses it claimed are free through the proxy: nobody was
    // charged for its requests but itself.
    let through = nginx.client_from(5);
    assert_eq!(
        post_garbage(&through, &nginx.url(REGISTRATIONS), Some("198.51.100.1")).await,
        422
    );
}

#[tokio::test]
async fn cookies_are_secure_when_the_proxy_says_https_and_only_then() {
    let (app, nginx) = behind_nginx(0).await;
    let csrf_cookie = |response: &reqwest::Response| {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("csrf="))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no csrf cookie: {:?}", response.headers()))
    };
    let through = nginx
        .client_from(6)
        .get(nginx.url("/admin/login"))
        .send()
        .await
        .expect("request");
    assert_eq!(through.status(), 200);
    assert!(
        csrf_cookie(&through).contains("Secure"),
        "{}",
        csrf_cookie(&through)
    );

    let direct = reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 7)))
        .build()
        .expect("client");
    let forged = direct
        .get(app.url("/admin/login"))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .expect("request");
    assert!(
        !csrf_cookie(&forged).contains("Secure"),
        "an untrusted peer's X-Forwarded-Proto is not believed"
    );
}
