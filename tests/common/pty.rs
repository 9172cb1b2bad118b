//! The real binary in a pseudo-terminal, read through a VT100 parser.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    pub parser: vt100::Parser,
    output: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    /// The binary in a 100×30 pty, on the store in this process (`CASEDESK_NO_SERVER=1`).
    pub fn start(args: &[&str]) -> Session {
        Session::start_with(args, &[("CASEDESK_NO_SERVER", "1")])
    }

    /// The binary in a 100×30 pty with extra environment variables.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casedesk"));
        cmd.args(args);
        cmd.env("CASEDESK_NOW", super::NOW);
        cmd.env("LANG", "C.UTF-8");
        cmd.env("TERM", "xterm-256color");
        cmd.env("USER", "tester");
        // No diagnostic log in the tester's home.
        cmd.env("CASEDESK_LOG", "off");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let (tx, output) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        // The master must outlive the child's use of the terminal.
        std::mem::forget(pair.master);
        Session {
            parser: vt100::Parser::new(
                std::num::NonZero::new(30).unwrap(),
                std::num::NonZero::new(100).unwrap(),
                0,
            ),
            output,
            writer,
            child,
        }
    }

    /// Reads output until the screen satisfies `done`. The deadline only guards against a hang.
    pub fn wait_for(&mut self, what: &str, done: impl Fn(&vt100::Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !done(self.parser.screen()) {
            assert!(
                Instant::now() < deadline,
                "waited in vain for {what}; the screen:\n{}",
                self.parser.screen().contents()
            );
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(100)) {
                self.parser.process(&bytes);
            }
        }
    }

    pub fn press(&mut self, keys: &[u8]) {
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn exit_code(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Whatever it wrote on the way out.
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(200)) {
                    self.parser.process(&bytes);
                }
                return status;
            }
            assert!(Instant::now() < deadline, "casedesk did not exit");
            if let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(50)) {
                self.parser.process(&bytes);
            }
        }
    }
}
