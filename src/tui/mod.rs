//! The terminal runtime: raw mode and the alternate screen, the event loop (keys, paste, resize,
//! the day changing, SIGTERM/SIGHUP), drawing only when something changed, and restoring the
//! terminal on every way out — quit, error, panic, signal.

pub mod driver;

use std::io::{Stdout, stdout};
use std::sync::mpsc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, disable_raw_mode, enable_raw_mode};

use crate::app::{App, Msg};
use crate::backend::{Backend, BackendError};
use crate::i18n::Lang;
use crate::keymap::Keymap;
use crate::ui::{self, Theme};
use driver::{Clock, Driver};

/// Why the screens could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The store or the server failed.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// The terminal failed.
    #[error("the terminal could not be used: {0}")]
    Terminal(#[from] std::io::Error),
}

/// What the screens start with.
pub struct Options {
    /// Language.
    pub lang: Lang,
    /// Keys in force.
    pub keymap: Keymap,
    /// Colours or monochrome.
    pub theme: Theme,
    /// The clock.
    pub clock: Clock,
    /// The days off in force (public holidays and the office's closing days).
    pub calendar: crate::domain::holidays::Calendar,
    /// How long an agency has to answer a referral.
    pub referrals: crate::domain::referral::ReferralRule,
}

/// Puts the terminal back as it was. Safe to call more than once and when it is gone.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    // Bracketed paste off, leave the alternate screen, show the cursor — written straight to the
    // file descriptor, because another thread may hold the stdout lock when a signal arrives.
    let _ = rustix::io::write(stdout(), b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
}

/// Restores the terminal when dropped, whatever the way out.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn setup() -> Result<(Terminal<CrosstermBackend<Stdout>>, Restore), std::io::Error> {
    // A panic must not leave the terminal raw: restore it before the message is printed.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    enable_raw_mode()?;
    let guard = Restore;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}

/// Held while a frame is written, so that a signal's restore does not land in the middle of one.
static DRAWING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// On SIGTERM or SIGHUP (an SSH session dropping), restores the terminal and ends the process
/// from a thread of its own: the main thread may be stuck reading a terminal that is gone
/// (crossterm then reads end-of-file forever). Every confirmed change is already on disk, so
/// nothing is lost by ending here.
fn watch_signals() -> Result<(), std::io::Error> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Let a frame being written finish (but do not wait on a terminal that is stuck).
            let deadline = std::time::Instant::now() + Duration::from_secs(1);
            let _frame = loop {
                match DRAWING.try_lock() {
                    Ok(guard) => break Some(guard),
                    Err(std::sync::TryLockError::Poisoned(p)) => break Some(p.into_inner()),
                    Err(std::sync::TryLockError::WouldBlock)
                        if std::time::Instant::now() < deadline =>
                    {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(std::sync::TryLockError::WouldBlock) => break None,
                }
            };
            restore_terminal();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// How long the screens wait for a key after drawing before they make the filter's search text
/// (a large store takes a while: a key pressed meanwhile comes first).
const IDLE_BEFORE_SEARCH: u64 = 150;

/// What wakes the screens' loop.
enum Wake {
    /// A key, a paste or a resize.
    Term(Event),
    /// The terminal can no longer be read (it went away).
    TermGone,
    /// The backend has news (somebody else's change, the connection).
    Remote,
}

/// Reads the terminal on a thread of its own, so that the loop can also wake for the news
/// the backend receives.
fn read_terminal(tx: mpsc::Sender<Wake>) {
    std::thread::spawn(move || {
        loop {
            match event::read() {
                Ok(ev) => {
                    if tx.send(Wake::Term(ev)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Wake::TermGone);
                    return;
                }
            }
        }
    });
}

/// Runs the screens on `backend` until the user quits, the terminal goes away or a SIGTERM
/// or SIGHUP arrives. Changes others make show as they happen.
pub fn run<B: Backend>(backend: B, options: Options) -> Result<(), TuiError> {
    run_app(backend, options, None)
}

/// Runs a read-only view that follows the running conference (or conference `id`).
pub fn follow<B: Backend>(backend: B, options: Options, id: Option<u32>) -> Result<(), TuiError> {
    run_app(backend, options, Some(id))
}

fn run_app<B: Backend>(
    mut backend: B,
    options: Options,
    follow: Option<Option<u32>>,
) -> Result<(), TuiError> {
    let Options {
        lang,
        keymap,
        theme,
        clock,
        calendar,
        referrals,
    } = options;
    let today = clock().date_naive();
    // What opening the store repaired is said on the status line (the command line's notice on
    // standard error is hidden behind the screens).
    let (notices, read_only) = backend.notices(lang);
    let user = backend.access().account.clone();
    let state = backend.snapshot()?;
    let mut app = App::new(lang, today, user, keymap, state);
    app.session.calendar = calendar;
    app.session.referrals = referrals;
    if let Some(id) = follow {
        app.follow(state, id);
    }
    let mut driver = Driver::new(app, backend, clock);

    let (tx, rx) = mpsc::channel();
    let remote = tx.clone();
    driver.backend.set_waker(Box::new(move || {
        let _ = remote.send(Wake::Remote);
    }));
    watch_signals()?;

    let (mut terminal, _restore) = setup()?;
    read_terminal(tx);
    let size = terminal.size()?;
    driver.handle(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    driver.handle(Msg::Tick(driver.now()));
    // A conference that was running when casedesk last closed picks up where it was.
    driver.handle(Msg::Started);
    driver.pump();
    if !notices.is_empty() && driver.app.status.is_none() {
        driver.app.status = Some(crate::app::Status {
            message: crate::app::Message::Notice(notices.join(" · ")),
            error: read_only,
        });
    }
    let mut shown_second = driver.now().timestamp();
    let mut dirty = true;
    let mut search_due = false;
    loop {
        if dirty {
            let state = driver.backend.snapshot()?;
            let app = &driver.app;
            {
                let _frame = DRAWING
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                terminal.draw(|frame| ui::render(app, state, theme, frame))?;
            }
            dirty = false;
            // Once nothing else is waiting, make the filter's search text (once per change of
            // the records), so typing in the filter is quick from the first key.
            search_due = true;
        }
        if driver.app.quit {
            break;
        }
        // Waiting, not redrawing: the timeout only lets midnight and a conference's clock be
        // noticed.
        let wait = if search_due {
            IDLE_BEFORE_SEARCH
        } else if driver.app.clock_shown() {
            200
        } else {
            500
        };
        match rx.recv_timeout(Duration::from_millis(wait)) {
            Ok(Wake::Term(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                driver.handle(Msg::Key(key));
                dirty = true;
            }
            Ok(Wake::Term(Event::Paste(text))) => {
                driver.handle(Msg::Paste(text));
                dirty = true;
            }
            Ok(Wake::Term(Event::Resize(width, height))) => {
                driver.handle(Msg::Resize { width, height });
                terminal.autoresize()?;
                dirty = true;
            }
            Ok(Wake::Term(_)) => {}
            Ok(Wake::Remote) => dirty |= driver.pump(),
            Ok(Wake::TermGone) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            // Waiting is also when a lost server is tried again, and the search text is made.
            Err(mpsc::RecvTimeoutError::Timeout) => {
                dirty |= driver.pump();
                if search_due && !dirty {
                    search_due = false;
                    let state = driver.backend.snapshot()?;
                    driver.app.prepare(state);
                }
            }
        }
        let now = driver.now();
        if now.timestamp() != shown_second {
            shown_second = now.timestamp();
            // The clock's second only costs a redraw while a clock is on the screen.
            let shown = driver.app.clock_shown();
            driver.handle(Msg::Tick(now));
            dirty |= shown;
        }
        let today = now.date_naive();
        if today != driver.app.session.today {
            driver.handle(Msg::Today(today));
            dirty = true;
        }
    }
    Ok(())
}
