//! The shell's own tests: the generated bindings are current, every command is granted, and the
//! commands work end to end on Tauri's mock runtime (a real `wallet_core` wallet in a temp folder).
//! The real window is tested by `tests/e2e` (tauri-driver + WebKitWebDriver).

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::InvokeRequest;

use crate::dto::Settings;
use crate::lifecycle::auto_lock_after;

fn manifest_file(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn bindings_are_current() {
    let fresh = crate::bindings().expect("export bindings");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::BINDINGS_PATH);
    if std::env::var_os("TENDER_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("write bindings");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: run `TENDER_UPDATE_BINDINGS=1 cargo test -p tender-app bindings` and commit it"
    );
}

#[test]
fn every_command_is_granted_to_the_main_window_and_exported() {
    let build = manifest_file("build.rs");
    let listed: Vec<&str> =
        build.lines().map(str::trim).filter_map(|l| l.strip_prefix('"').and_then(|l| l.strip_suffix("\","))).collect();
    assert!(listed.len() >= 20, "build.rs lists the commands");
    let capability: Value = serde_json::from_str(&manifest_file("capabilities/main.json")).expect("capability json");
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    let bindings = crate::bindings().expect("export bindings");
    for command in &listed {
        assert!(granted.iter().any(|g| g == command), "{command} is not granted to the main window");
        assert!(bindings.contains(&format!("\"{command}\"")), "{command} is not registered with tauri-specta");
    }
    assert_eq!(granted.len(), listed.len(), "a permission grants a command that does not exist");
    assert_eq!(bindings.matches("TAURI_INVOKE(\"").count(), listed.len(), "a command is missing from build.rs");
}

#[test]
fn auto_lock_is_on_by_default_and_can_be_turned_off() {
    assert_eq!(auto_lock_after(&Settings::default()), Some(std::time::Duration::from_secs(300)));
    assert_eq!(auto_lock_after(&Settings { auto_lock_minutes: 0, ..Settings::default() }), None);
}

struct App {
    _dir: tempfile::TempDir,
    webview: tauri::WebviewWindow<MockRuntime>,
    _app: tauri::App<MockRuntime>,
}

impl App {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        // Tauri runs `setup` when the event loop starts, which a mock app never does: manage the
        // state here, as `setup` would (with the file store: this test never touches the keyring).
        let state = crate::AppState::new(dir.path().to_path_buf(), wallet_core::StoreKind::File, None);
        let app = crate::app_builder(mock_builder().manage(state), Some(dir.path().to_path_buf()), false)
            .build(tauri::generate_context!(test = true))
            .expect("mock app");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("webview");
        Self { _dir: dir, webview, _app: app }
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, request).map(|b| b.deserialize::<Value>().expect("json"))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    fn err_code(&self, cmd: &str, args: Value) -> String {
        let e = self.call(cmd, args).err().unwrap_or_else(|| panic!("{cmd} succeeded"));
        e["code"].as_str().unwrap_or_else(|| panic!("{cmd}: error without a code: {e}")).to_owned()
    }
}

#[test]
fn onboarding_quiz_lock_and_unlock_through_the_commands() {
    let app = App::new();
    let status = app.ok("wallet_status", json!({}));
    assert_eq!(status["has_wallet"], false);
    assert_eq!(status["settings"]["auto_lock_minutes"], 5);

    // A wrong word: a typed error with the nearest words.
    let check = app.ok("onboarding_check_phrase", json!({ "phrase": "abandon abandon abandn" }));
    assert_eq!(check["valid"], false);
    assert_eq!(check["unknown_word"]["index"], 2);
    assert_eq!(check["unknown_word"]["suggestions"][0], "abandon");
    assert_eq!(check["error"]["code"], "unknown_word");

    let new = app.ok("onboarding_new_phrase", json!({ "words": 12, "language": "english" }));
    let words: Vec<String> = serde_json::from_value(new["words"].clone()).expect("words");
    let quiz: Vec<usize> = serde_json::from_value(new["quiz"].clone()).expect("quiz");
    assert_eq!(words.len(), 12);
    assert_eq!(quiz.len(), 3);
    assert!(quiz.windows(2).all(|w| w[0] < w[1]) && quiz.iter().all(|p| (1..=12).contains(p)));

    let wrong: Vec<String> = quiz.iter().map(|_| "zoo".to_owned()).collect();
    let password = "correct horse battery";
    let code = app.err_code("onboarding_create", json!({ "answers": wrong, "password": password, "fileStore": true }));
    assert_eq!(code, "quiz_failed");
    assert_eq!(app.ok("wallet_status", json!({}))["has_wallet"], false, "a failed quiz creates nothing");

    let weak = app
        .err_code("onboarding_create", json!({ "answers": ["a", "b", "c"], "password": "short", "fileStore": true }));
    assert_eq!(weak, "weak_password");

    let right: Vec<String> = quiz.iter().map(|p| format!(" {} ", words[p - 1].to_uppercase())).collect();
    let status = app.ok("onboarding_create", json!({ "answers": right, "password": password, "fileStore": true }));
    assert_eq!(status["has_wallet"], true);
    assert_eq!(status["unlocked"], true);
    let address = status["accounts"][0]["address"].as_str().expect("address").to_owned();
    assert!(address.starts_with("0x") && address.len() == 42);
    let text = status.to_string();
    for w in &words {
        assert!(!text.contains(&format!("\"{w}\"")), "the status never carries a phrase word");
    }

    let locked = app.ok("wallet_lock", json!({}));
    assert_eq!(locked["unlocked"], false);
    assert_eq!(app.err_code("wallet_unlock", json!({ "password": "not my password" })), "wrong_password");
    assert_eq!(app.err_code("accounts_add", json!({ "label": null })), "locked");
    let unlocked = app.ok("wallet_unlock", json!({ "password": password }));
    assert_eq!(unlocked["unlocked"], true);
    assert_eq!(unlocked["accounts"][0]["address"], address.as_str());

    let revealed: Vec<String> =
        serde_json::from_value(app.ok("wallet_reveal_phrase", json!({ "password": password }))).expect("words");
    assert_eq!(revealed, words);
    assert_eq!(app.err_code("wallet_reveal_phrase", json!({ "password": "nope nope nope" })), "wrong_password");

    let added = app.ok("accounts_add", json!({ "label": "Groceries" }));
    assert_eq!(added["index"], 1);
    assert_eq!(added["label"], "Groceries");

    // No network configured and no dev chain available here: a typed error, not a hang.
    let code = app.err_code("receive_request", json!({ "index": 0, "token": null, "amount": null }));
    assert_eq!(code, "input_missing");

    let bad = app.err_code("payment_quote", json!({ "uri": "ethereum:0x12", "index": 0 }));
    assert!(bad.starts_with("invalid") || bad == "malformed_request", "{bad}");

    let kept = app.err_code("wallet_delete", json!({ "password": password, "phraseSaved": false }));
    assert_eq!(kept, "confirmation_required");
    let gone = app.ok("wallet_delete", json!({ "password": password, "phraseSaved": true }));
    assert_eq!(gone["has_wallet"], false);
}

#[test]
fn settings_are_validated_and_saved() {
    let app = App::new();
    let saved =
        app.ok("settings_set", json!({ "settings": { "auto_lock_minutes": 1, "theme": "dark", "language": "fr" } }));
    assert_eq!(saved["theme"], "dark");
    assert_eq!(app.ok("wallet_status", json!({}))["settings"]["language"], "fr");
    let code = app
        .err_code("settings_set", json!({ "settings": { "auto_lock_minutes": 1, "theme": "neon", "language": "" } }));
    assert_eq!(code, "invalid_setting");
    let presets = app.ok("network_presets", json!({}));
    assert!(presets.as_array().is_some_and(|p| p.iter().any(|n| n["chain_id"] == 1)));
}
