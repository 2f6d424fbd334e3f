//! The real binary as a child process: `vraagbaak serve` on a free port, killed with
//! `kill -9` or stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// `vraagbaak serve` on a free port, with its stderr collected line by line.
pub struct Running {
    child: Child,
    pub base: String,
    stderr: Option<thread::JoinHandle<()>>,
    /// Every line printed so far.
    lines: Arc<Mutex<Vec<String>>>,
}

impl Running {
    /// Starts the server on the sample knowledge base with `env` added to its environment.
    pub fn start(data: &Path, config: &Path, env: &[(&str, &str)]) -> Running {
        let kb = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/kb"));
        Running::start_on(kb, data, config, env)
    }

    /// Starts the server on the knowledge base in `kb`.
    pub fn start_on(kb: &Path, data: &Path, config: &Path, env: &[(&str, &str)]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
            .args(["serve", "--listen", "127.0.0.1:0", "--kb"])
            .arg(kb)
            .arg("--data")
            .arg(data)
            .arg("--config")
            .arg(config)
            .env("VRAAGBAAK_WATCH_KB", "false")
            .env_remove("VRAAGBAAK_LOG")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts vraagbaak serve");
        let stderr = child.stderr.take().expect("piped stderr");
        let (address_tx, address_rx) = mpsc::channel();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let collected = lines.clone();
        let stderr = thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Some((_, base)) = line.split_once(" on http://") {
                    let _ = address_tx.send(format!("http://{base}"));
                }
                collected.lock().expect("stderr lines").push(line);
            }
        });
        let base = address_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address");
        wait_until_healthy(&base);
        Running {
            child,
            base,
            stderr: Some(stderr),
            lines,
        }
    }

    /// SIGTERM: the graceful shutdown `systemctl stop` or `docker stop` gives. Returns
    /// everything printed.
    pub fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill -TERM runs");
        assert!(status.success(), "kill -TERM {pid}");
        self.child.wait().expect("the server exits");
        self.printed()
    }

    /// `kill -9`: no graceful shutdown, no checkpoint. Returns everything printed.
    pub fn kill(mut self) -> Vec<String> {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
        self.printed()
    }
}

impl Running {
    fn printed(&mut self) -> Vec<String> {
        if let Some(reader) = self.stderr.take() {
            reader.join().expect("stderr reader");
        }
        self.printed_so_far()
    }

    /// The lines printed so far, while the server runs.
    pub fn printed_so_far(&self) -> Vec<String> {
        self.lines.lock().expect("stderr lines").clone()
    }
}

/// A test that fails half-way leaves no server behind.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until_healthy(base: &str) {
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(response) = client.get(format!("{base}/healthz")).send()
            && response.status() == 200
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{base}/healthz never answered 200"
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// `vraagbaak export --format json` on `data`: its standard output, after checking it succeeded.
pub fn export_json(data: &Path, config: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args(["export", "--format", "json", "--data"])
        .arg(data)
        .arg("--config")
        .arg(config)
        .output()
        .expect("export runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 export")
}
