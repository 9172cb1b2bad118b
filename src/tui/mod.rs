//! The terminal runtime: raw mode and the alternate screen, the event loop (keys, paste, resize,
//! the day changing, SIGTERM/SIGHUP), drawing only when something changed, and restoring the
//! terminal on every way out — quit, error, panic, signal.

pub mod driver;

use std::io::{Stdout, stdout};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, EnableBracketedPaste, Event, KeyEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, disable_raw_mode, enable_raw_mode};

use crate::app::{App, Msg};
use crate::backend::Backend;
use crate::i18n::Lang;
use crate::keymap::Keymap;
use crate::store::{Store, StoreError};
use crate::ui::{self, Theme};
use driver::{Clock, Driver};

/// Why the screens could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The terminal failed.
    #[error("the terminal could not be used: {0}")]
    Terminal(#[from] std::io::Error),
}

/// What the screens start with.
pub struct Options {
    /// Language.
    pub lang: Lang,
    /// The account using it.
    pub user: String,
    /// Keys in force.
    pub keymap: Keymap,
    /// Colours or monochrome.
    pub theme: Theme,
    /// The clock.
    pub clock: Clock,
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

/// Runs the screens on `store` until the user quits, the terminal goes away or a SIGTERM or
/// SIGHUP arrives.
pub fn run(mut store: Store, options: Options) -> Result<(), TuiError> {
    let Options {
        lang,
        user,
        keymap,
        theme,
        clock,
    } = options;
    let today = clock().date_naive();
    // What opening the store repaired is said on the status line (the command line's notice on
    // standard error is hidden behind the screens).
    let notices = store.recovery().notices(lang);
    let read_only = store.recovery().read_only.is_some();
    let app = App::new(lang, today, user, keymap, store.state()?);
    let mut driver = Driver::new(app, store, clock);

    watch_signals()?;

    let (mut terminal, _restore) = setup()?;
    let size = terminal.size()?;
    driver.handle(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    driver.handle(Msg::Tick(driver.now()));
    // A conference that was running when casedesk last closed picks up where it was.
    driver.handle(Msg::Started);
    if !notices.is_empty() && driver.app.status.is_none() {
        driver.app.status = Some(crate::app::Status {
            text: notices.join(" · "),
            error: read_only,
        });
    }
    let mut shown_second = driver.now().timestamp();
    let mut dirty = true;
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
            // With the screen up and before the next key is read, make the filter's search text
            // (once per change of the records), so typing in the filter is quick from the first key.
            let state = driver.backend.snapshot()?;
            driver.app.prepare(state);
        }
        if driver.app.quit {
            break;
        }
        // Waiting, not redrawing: the timeout only lets signals, midnight and a conference's
        // clock be noticed.
        let wait = if driver.app.clock_shown() { 200 } else { 500 };
        if event::poll(Duration::from_millis(wait))? {
            match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    driver.handle(Msg::Key(key));
                    dirty = true;
                }
                Event::Paste(text) => {
                    driver.handle(Msg::Paste(text));
                    dirty = true;
                }
                Event::Resize(width, height) => {
                    driver.handle(Msg::Resize { width, height });
                    terminal.autoresize()?;
                    dirty = true;
                }
                _ => {}
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
        if today != driver.app.today {
            driver.handle(Msg::Today(today));
            dirty = true;
        }
    }
    Ok(())
}
