//! A terminal-free harness for the screens: a seeded demo store at the fixed clock, the real
//! keymap, keys typed as text (`"jj<Enter>"`), and the screen rendered into a `TestBackend`.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::cell::Cell;
use std::rc::Rc;

use casedesk::app::{App, Msg};
use casedesk::backend::{Backend, Embedded};
use casedesk::domain::State;
use casedesk::i18n::Lang;
use casedesk::keymap::{Key, Keymap};
use casedesk::store::Store;
use casedesk::tui::driver::Driver;
use casedesk::ui::{self, Theme};
use chrono::{DateTime, FixedOffset};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Cases in the harness's demo store.
pub const CASES: usize = 60;

pub struct Screens {
    pub tmp: tempfile::TempDir,
    pub driver: Driver<Embedded>,
    pub theme: Theme,
    /// The clock the driver stamps commands with; tests move it with `advance`.
    pub clock: Rc<Cell<DateTime<FixedOffset>>>,
}

impl Screens {
    /// A demo store (seed 7) opened on the dashboard, in `lang`, colour off.
    pub fn demo(lang: Lang) -> Screens {
        Screens::with_keymap(lang, Keymap::shipped("default").unwrap())
    }

    pub fn with_keymap(lang: Lang, keymap: Keymap) -> Screens {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        {
            let mut store = Store::open_or_create(&dir).unwrap();
            let commands =
                casedesk::transfer::demo::generate(store.state().unwrap(), CASES, 7, super::now());
            store.execute_all(commands).unwrap();
        }
        Screens::open(tmp, lang, keymap, super::now())
    }

    /// Opens the screens on the store in `tmp`/store at `at`, as starting casedesk does
    /// (a running conference resumes).
    pub fn open(
        tmp: tempfile::TempDir,
        lang: Lang,
        keymap: Keymap,
        at: DateTime<FixedOffset>,
    ) -> Screens {
        let store = Store::open(&tmp.path().join("store")).unwrap();
        let mut backend = Embedded::new(store, "tester", Some("tester")).unwrap();
        let app = App::new(
            lang,
            at.date_naive(),
            "tester".into(),
            keymap,
            backend.snapshot().unwrap(),
        );
        let clock = Rc::new(Cell::new(at));
        let source = clock.clone();
        let mut driver = Driver::new(app, backend, Box::new(move || source.get()));
        driver.handle(Msg::Resize {
            width: 100,
            height: 30,
        });
        driver.handle(Msg::Tick(at));
        driver.handle(Msg::Started);
        Screens {
            tmp,
            driver,
            theme: Theme::new(false),
            clock,
        }
    }

    /// Moves the clock on by `seconds` and tells the screens.
    pub fn advance(&mut self, seconds: i64) {
        let now = self.clock.get() + chrono::Duration::seconds(seconds);
        self.clock.set(now);
        self.driver.handle(Msg::Tick(now));
    }

    /// Ends the session as a crash would: the store is closed without the screens quitting.
    pub fn crash(self) -> tempfile::TempDir {
        let Screens { tmp, driver, .. } = self;
        drop(driver);
        tmp
    }

    pub fn app(&self) -> &App {
        &self.driver.app
    }

    pub fn state(&mut self) -> &State {
        self.driver.backend.snapshot().unwrap()
    }

    /// Types keys: plain characters one by one, `<Name>` for named keys (`<Enter>`, `<C-s>`,
    /// `<Esc>`, `<Tab>`, `<Down>` …), as in a keymap file.
    pub fn keys(&mut self, text: &str) {
        for key in parse_keys(text) {
            self.driver.handle(Msg::Key(key));
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.driver.handle(Msg::Paste(text.into()));
    }

    /// The screen as text, `width`×`height`.
    pub fn screen(&mut self, width: u16, height: u16) -> String {
        self.driver.handle(Msg::Resize { width, height });
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let theme = self.theme;
        let state = self.driver.backend.snapshot().unwrap();
        let app = &self.driver.app;
        terminal
            .draw(|frame| ui::render(app, state, theme, frame))
            .unwrap();
        buffer_text(terminal.backend().buffer())
    }
}

/// Key events for a key string: characters, and `<Name>` for named keys.
pub fn parse_keys(text: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' {
            let name: String = chars.by_ref().take_while(|c| *c != '>').collect();
            let key = Key::parse(&name).unwrap_or_else(|| panic!("bad key <{name}>"));
            out.push(KeyEvent::new(key.code, key.modifiers));
        } else {
            let modifiers = if c.is_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            out.push(KeyEvent::new(KeyCode::Char(c), modifiers));
        }
    }
    out
}

/// The buffer as lines of text, a wide character counted once (its second cell skipped).
pub fn buffer_text(buffer: &ratatui::buffer::Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for row in buffer.content.chunks(width.max(1)) {
        let mut skip = 0usize;
        let mut line = String::new();
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
