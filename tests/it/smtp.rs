//! A real SMTP server for the mail tests: speaks enough RFC 5321 for lettre
//! (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps what it receives, and
//! misbehaves on request (refuses recipients, answers 421, stalls).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        let mut lines = self.data.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if line.is_empty() {
                return None;
            }
            if line.to_ascii_lowercase().starts_with(&prefix) {
                let mut value = line[prefix.len()..].trim().to_owned();
                while let Some(next) = lines.peek().filter(|next| next.starts_with([' ', '\t'])) {
                    value.push(' ');
                    value.push_str(next.trim());
                    lines.next();
                }
                return Some(value);
            }
        }
        None
    }
}

#[derive(Debug, Clone, Default)]
pub struct Behaviour {
    /// Recipients containing this text are refused with 550.
    pub refuse_recipients_containing: Option<String>,
    /// The 550 quotes the refused address, as many servers' do.
    pub echo_refused_recipient: bool,
    /// The first N messages are answered 421 at MAIL FROM.
    pub busy_first: usize,
    /// Greets, then never answers anything.
    pub stall: bool,
    /// Keeps each message (it counts as received) this long before
    /// answering 250, so a test can catch exchanges in flight.
    pub accept_delay: Duration,
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start(behaviour: Behaviour) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        Self::serve(listener, behaviour)
    }

    /// Starts on a given port, e.g. one the application was told about
    /// while nothing listened there.
    pub async fn start_on(port: u16, behaviour: Behaviour) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP port");
        Self::serve(listener, behaviour)
    }

    fn serve(listener: TcpListener, behaviour: Behaviour) -> SmtpSink {
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let busy_left = Arc::new(AtomicUsize::new(behaviour.busy_first));
        let sink = Arc::clone(&received);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (sink, behaviour, busy_left) =
                    (Arc::clone(&sink), behaviour.clone(), Arc::clone(&busy_left));
                tokio::spawn(async move {
                    let _ = session(stream, sink, behaviour, busy_left).await;
                });
            }
        });
        SmtpSink {
            port,
            received,
            task,
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits until at least `count` messages arrived (or the time is up) and
    /// returns them all.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + within;
        while self.received.lock().expect("lock").len() < count
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.received()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A port on which nothing listens right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn session(
    stream: TcpStream,
    sink: Arc<Mutex<Vec<Received>>>,
    behaviour: Behaviour,
    busy_left: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    // Without it, Nagle's algorithm and delayed ACKs cost ~40 ms per reply.
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    if behaviour.stall {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        return Ok(());
    }
    let mut from = String::new();
    let mut to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" => b"250 sink.test\r\n",
            "MAIL" => {
                let busy = busy_left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                        left.checked_sub(1)
                    })
                    .is_ok();
                if busy {
                    b"421 4.3.2 busy, try again later\r\n"
                } else {
                    from = address(&command);
                    to.clear();
                    b"250 2.1.0 ok\r\n"
                }
            }
            "RCPT" => {
                let recipient = address(&command);
                match &behaviour.refuse_recipients_containing {
                    Some(refused) if recipient.contains(refused.as_str()) => {
                        if behaviour.echo_refused_recipient {
                            let reply = format!(
                                "550 5.1.1 <{recipient}>: Recipient address rejected: User unknown\r\n"
                            );
                            write.write_all(reply.as_bytes()).await?;
                            continue;
                        }
                        b"550 5.1.1 no such mailbox\r\n"
                    }
                    _ => {
                        to.push(recipient);
                        b"250 2.1.5 ok\r\n"
                    }
                }
            }
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(
                        line.strip_prefix('.')
                            .filter(|_| line.starts_with(".."))
                            .unwrap_or(&line),
                    );
                }
                sink.lock().expect("lock").push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                tokio::time::sleep(behaviour.accept_delay).await;
                b"250 2.0.0 queued\r\n"
            }
            "RSET" => {
                to.clear();
                b"250 2.0.0 ok\r\n"
            }
            "NOOP" => b"250 2.0.0 ok\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 5.5.2 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

fn address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(address, _)| address.to_owned())
        .unwrap_or_default()
}
