//! Creating and restoring a wallet: the phrase, the backup quiz, discovery.

use tauri::State;
use tauri::ipc::Channel;
use wallet_core::keys::mnemonic::{self, RecoveryPhrase};
use wallet_core::vault::VaultSecret;
use wallet_core::{Error, ErrorCode, StoreKind, Wallet};

use super::secret;
use crate::dto::{NewPhrase, PhraseCheck, RestoreResult, UnknownWord, WordListView};
use crate::error::{CmdResult, CommandError};
use crate::state::{AppState, PendingCreate};

/// Positions the backup quiz asks about.
const QUIZ_QUESTIONS: usize = 3;

fn random_positions(words: u32) -> Result<Vec<u32>, Error> {
    let mut picked = Vec::new();
    while picked.len() < QUIZ_QUESTIONS {
        let mut b = [0u8; 4];
        getrandom::getrandom(&mut b).map_err(Error::Random)?;
        let p = u32::from_le_bytes(b) % words + 1;
        if !picked.contains(&p) {
            picked.push(p);
        }
    }
    picked.sort_unstable();
    Ok(picked)
}

/// Generates a new recovery phrase (12 or 24 words) in `language` and keeps it here until the backup
/// quiz is passed. Returns the words to show once, and the quiz positions.
#[tauri::command]
#[specta::specta]
pub fn onboarding_new_phrase(state: State<'_, AppState>, words: u32, language: String) -> CmdResult<NewPhrase> {
    if Wallet::exists(state.dir()) {
        return Err(Error::WalletExists { path: state.dir().to_path_buf() }.into());
    }
    let phrase = RecoveryPhrase::generate(words as usize, mnemonic::language_from_name(&language)?)?;
    let quiz = random_positions(words)?;
    let shown = phrase.words().iter().map(|w| (*w).to_owned()).collect();
    *state.pending() = Some(PendingCreate { phrase, quiz: quiz.clone() });
    Ok(NewPhrase { words: shown, quiz })
}

/// Which of `answers` (for the quiz positions, in order) are the words written there.
fn quiz_answers(pending: &PendingCreate, answers: &[String]) -> Vec<bool> {
    let words = pending.phrase.words();
    pending
        .quiz
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let answer = answers.get(i).map(|a| mnemonic::normalize(a)).unwrap_or_default();
            words.get(*p as usize - 1).is_some_and(|w| !answer.is_empty() && *answer == **w)
        })
        .collect()
}

/// Checks each backup-quiz answer as it is typed (`answers` for the quiz positions, in order): for
/// each, whether it is the word written at that position. Creates nothing.
#[tauri::command]
#[specta::specta]
pub fn onboarding_quiz_check(state: State<'_, AppState>, answers: Vec<String>) -> CmdResult<Vec<bool>> {
    let pending = state.pending();
    let pending =
        pending.as_ref().ok_or_else(|| CommandError::new(ErrorCode::NoPhrase, "start again: no new phrase"))?;
    Ok(quiz_answers(pending, &answers))
}

/// The new phrase's words once more, while the wallet is not made yet (the quiz's "show the phrase
/// again"): the same words as on the creation screen, nowhere else.
#[tauri::command]
#[specta::specta]
pub fn onboarding_show_phrase(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    let pending = state.pending();
    let pending =
        pending.as_ref().ok_or_else(|| CommandError::new(ErrorCode::NoPhrase, "start again: no new phrase"))?;
    Ok(pending.phrase.words().iter().map(|w| (*w).to_owned()).collect())
}

/// Whether the system keyring can keep the wallet here; when it cannot, the create and restore
/// screens offer the encrypted file up front, as the person's explicit choice.
#[tauri::command]
#[specta::specta]
pub async fn onboarding_keyring_available() -> bool {
    tauri::async_runtime::spawn_blocking(wallet_core::vault::keyring::keyring_reachable).await.unwrap_or(false)
}

/// Passes the backup quiz (`answers` for the quiz positions, in order) and creates the wallet with
/// `password`. A wrong answer is `quiz_failed` and creates nothing. The vault goes to the OS keyring;
/// `file_store` (the person's explicit choice after `keyring_unavailable`) puts it in an encrypted file.
#[tauri::command]
#[specta::specta]
pub async fn onboarding_create(
    state: State<'_, AppState>,
    answers: Vec<String>,
    password: String,
    file_store: bool,
) -> CmdResult<crate::dto::AppStatus> {
    let password = secret(password);
    wallet_core::wallet::check_password(&password)?;
    let pending =
        state.pending().take().ok_or_else(|| CommandError::new(ErrorCode::NoPhrase, "start again: no new phrase"))?;
    let right = answers.len() == pending.quiz.len() && quiz_answers(&pending, &answers).iter().all(|r| *r);
    if !right {
        // Keep the phrase so the person can look at it again and retry.
        *state.pending() = Some(pending);
        return Err(CommandError::new(
            ErrorCode::QuizFailed,
            "that is not the word written at that position: check your copy",
        ));
    }
    // Kept until the vault is written: a keyring failure leaves the quiz passed and the phrase pending.
    let copy = VaultSecret {
        phrase: RecoveryPhrase::from_entropy(pending.phrase.language(), pending.phrase.entropy().expose())?,
        passphrase: wallet_core::SecretString::new(String::new()),
    };
    if let Err(e) = state.session.create(copy, &password, 1, file_store.then_some(StoreKind::File)).await {
        *state.pending() = Some(pending);
        return Err(e.into());
    }
    state.touch();
    Ok(state.status().await?)
}

/// Checks a typed or pasted phrase as a whole: word count, unknown words with suggestions, checksum.
#[tauri::command]
#[specta::specta]
pub fn onboarding_check_phrase(phrase: String) -> PhraseCheck {
    let normalized = mnemonic::normalize(&phrase);
    let word_count = normalized.split(' ').filter(|w| !w.is_empty()).count() as u32;
    match RecoveryPhrase::parse(&phrase) {
        Ok(p) => PhraseCheck {
            valid: true,
            word_count,
            language: Some(mnemonic::language_name(p.language()).into()),
            unknown_word: None,
            error: None,
        },
        Err(e) => {
            let unknown_word = match &e {
                Error::UnknownWord { index, suggestions } => {
                    Some(UnknownWord { index: *index as u32, suggestions: suggestions.clone() })
                }
                _ => None,
            };
            PhraseCheck { valid: false, word_count, language: None, unknown_word, error: Some(e.into()) }
        }
    }
}

/// The word list of `language`, for autocomplete (public data).
#[tauri::command]
#[specta::specta]
pub fn onboarding_wordlist(language: String) -> CmdResult<Vec<String>> {
    let language = mnemonic::language_from_name(&language)?;
    Ok(language.word_list().iter().map(|w| (*w).to_owned()).collect())
}

/// The word lists a new phrase can be written in, each named in its own language.
#[tauri::command]
#[specta::specta]
pub fn onboarding_word_lists() -> Vec<WordListView> {
    mnemonic::WORD_LISTS.iter().map(|w| WordListView { id: w.id.into(), name: w.name.into() }).collect()
}

/// Progress of account discovery.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct DiscoveryProgress {
    /// Accounts examined so far.
    pub scanned: u32,
    /// Of which in use.
    pub used: u32,
}

/// Restores a wallet from `phrase` (and the optional BIP39 `passphrase`), finds the accounts in use
/// on the network (reporting progress on `progress`), and protects it with `password` (in the OS
/// keyring, or with `file_store` — the person's explicit choice after `keyring_unavailable` — in an
/// encrypted file; never a silent fallback).
#[tauri::command]
#[specta::specta]
pub async fn onboarding_restore(
    state: State<'_, AppState>,
    phrase: String,
    passphrase: String,
    password: String,
    file_store: bool,
    progress: Channel<DiscoveryProgress>,
) -> CmdResult<RestoreResult> {
    let phrase = RecoveryPhrase::parse(secret(phrase).expose())?;
    let store = file_store.then_some(StoreKind::File);
    let restored = state
        .session
        .restore(phrase, secret(passphrase), &secret(password), 1, store, |scanned, used| {
            // The UI may be gone (window closed); discovery goes on regardless.
            let _ = progress.send(DiscoveryProgress { scanned, used: used as u32 });
        })
        .await?;
    state.touch();
    Ok(RestoreResult {
        status: state.status().await?,
        used_accounts: restored.discovery.as_ref().map_or(0, |d| d.used.len() as u32),
        notice: restored.notice.as_ref().map(CommandError::from),
    })
}
