// Create a wallet (phrase → backup quiz → password) or restore one (word-by-word entry with
// autocomplete and typo suggestions, or paste; optional passphrase; account discovery).
import { useEffect, useMemo, useState } from "preact/hooks";
import { Channel } from "@tauri-apps/api/core";
import { commands, asError, type AppStatus, type DiscoveryProgress, type Language, type PhraseCheck, type Settings, type WordListView } from "../api";
import { t } from "../i18n";
import { errorText, said, type Said } from "../messages";
import { PasswordFields } from "./PasswordFields";
import { pastedWords } from "../phrase";

type Step =
  | { kind: "welcome" }
  | { kind: "create-options" }
  | { kind: "create-phrase"; words: string[]; quiz: number[] }
  | { kind: "create-quiz"; quiz: number[] }
  | { kind: "create-password"; quiz: number[]; answers: string[] }
  | { kind: "restore-words" }
  | { kind: "restore-password"; phrase: string; passphrase: string }
  | { kind: "restore-progress"; progress: DiscoveryProgress | null };

/**
 * `settings`: the preferences as saved (the language is chosen here first, before any word of the
 * wallet is shown); `onSettings` gets them once saved again.
 */
export function Onboarding(props: { settings: Settings; onSettings: (s: Settings) => void; onDone: (s: AppStatus) => void }) {
  const [step, setStep] = useState<Step>({ kind: "welcome" });
  const [error, setError] = useState<Said | null>(null);
  // No system keyring: found out up front, and the encrypted file offered as the person's own choice
  // (never silently, never only after a failure).
  const [keyringMissing, setKeyringMissing] = useState(false);
  const [fileStore, setFileStore] = useState(false);
  useEffect(() => {
    commands.onboardingKeyringAvailable().then((available) => setKeyringMissing(!available)).catch(() => {});
  }, []);
  const fail = (e: unknown) => {
    const err = asError(e);
    if (err.code === "keyring_unavailable") setKeyringMissing(true);
    setError(err);
  };
  const storeChoice = keyringMissing && (
    <fieldset class="store-choice" id="store-choice">
      <legend>{t("noKeyringTitle")}</legend>
      <p class="muted small">{t("noKeyringText")}</p>
      <label class="check"><input id="file-store" type="checkbox" checked={fileStore} onChange={(e) => setFileStore((e.target as HTMLInputElement).checked)} /> {t("useFileStore")}</label>
    </fieldset>
  );
  const go = (s: Step) => {
    setError(null);
    setStep(s);
  };

  switch (step.kind) {
    case "welcome":
      return (
        <main class="center narrow onboarding">
          <img src="/icon.png" alt="" width="96" height="96" />
          <h1>{t("welcomeTitle")}</h1>
          <p class="muted">{t("welcomeText")}</p>
          {/* The language first: the warnings, the phrase's backup and its quiz are then in it. The
              label is in both languages, whichever the system's is. */}
          <label for="welcome-language">Language · Langue</label>
          <select id="welcome-language" value={props.settings.language} onChange={async (e) => {
            const language = (e.target as HTMLSelectElement).value as Language;
            try { props.onSettings(await commands.settingsSet({ ...props.settings, language })); } catch (err) { fail(err); }
          }}>
            <option value="system">{t("systemDefault")}</option>
            <option value="en">English</option>
            <option value="fr">Français</option>
          </select>
          {error && <p role="alert" class="error">{said(error)}</p>}
          <div class="stack">
            <button id="start-create" class="primary" onClick={() => go({ kind: "create-options" })}>{t("createWallet")}</button>
            <button id="start-restore" onClick={() => go({ kind: "restore-words" })}>{t("restoreWallet")}</button>
          </div>
        </main>
      );
    case "create-options":
      return <CreateOptions error={error} onBack={() => go({ kind: "welcome" })} onPhrase={async (words, language) => {
        try {
          const p = await commands.onboardingNewPhrase(words, language);
          go({ kind: "create-phrase", words: p.words, quiz: p.quiz });
        } catch (e) { fail(e); }
      }} />;
    case "create-phrase":
      return <ShowPhrase words={step.words} onNext={() => go({ kind: "create-quiz", quiz: step.quiz })} />;
    case "create-quiz":
      return <Quiz quiz={step.quiz} error={error}
        onAnswers={(answers) => go({ kind: "create-password", quiz: step.quiz, answers })}
        onShowAgain={async () => {
          try { go({ kind: "create-phrase", words: await commands.onboardingShowPhrase(), quiz: step.quiz }); } catch (e) { fail(e); }
        }} />;
    case "create-password":
      return (
        <main class="center narrow">
          <h1>{t("setPassword")}</h1>
          <p class="muted">{t("passwordHelp")}</p>
          {storeChoice}
          <PasswordFields error={error} submitLabel={t("createWallet")} onSubmit={async (password) => {
            try {
              props.onDone(await commands.onboardingCreate(step.answers, password, fileStore));
            } catch (e) {
              const err = asError(e);
              if (err.code === "quiz_failed") {
                setStep({ kind: "create-quiz", quiz: step.quiz });
                setError(err);
              } else fail(e);
            }
          }} />
        </main>
      );
    case "restore-words":
      return <RestoreWords onBack={() => go({ kind: "welcome" })} onPhrase={(phrase, passphrase) => go({ kind: "restore-password", phrase, passphrase })} />;
    case "restore-password":
      return (
        <main class="center narrow">
          <h1>{t("setPassword")}</h1>
          <p class="muted">{t("passwordHelp")}</p>
          {storeChoice}
          <PasswordFields error={error} submitLabel={t("restoreWallet")} onSubmit={async (password) => {
            const channel = new Channel<DiscoveryProgress>();
            channel.onmessage = (p) => setStep({ kind: "restore-progress", progress: p });
            setStep({ kind: "restore-progress", progress: null });
            try {
              const r = await commands.onboardingRestore(step.phrase, step.passphrase, password, fileStore, channel);
              props.onDone(r.status);
            } catch (e) {
              setStep({ kind: "restore-password", phrase: step.phrase, passphrase: step.passphrase });
              fail(e);
            }
          }} />
        </main>
      );
    case "restore-progress":
      return (
        <main class="center narrow" aria-live="polite">
          <h1>{t("discoveryTitle")}</h1>
          <progress id="discovery-progress" max={40} value={step.progress ? Math.min(step.progress.scanned, 40) : undefined} />
          <p class="muted">{step.progress ? t("discoveryProgress", { scanned: step.progress.scanned, used: step.progress.used }) : t("discoveryStart")}</p>
        </main>
      );
  }
}

function CreateOptions(props: { error: Said | null; onBack: () => void; onPhrase: (words: number, language: string) => void }) {
  const [words, setWords] = useState(12);
  const [language, setLang] = useState("english");
  // The word lists come from the core, each named in its own language.
  const [lists, setLists] = useState<WordListView[]>([{ id: "english", name: "English" }]);
  useEffect(() => {
    commands.onboardingWordLists().then(setLists).catch(() => {});
  }, []);
  return (
    <main class="center narrow">
      <h1>{t("createWallet")}</h1>
      <p class="muted">{t("createIntro")}</p>
      <fieldset class="choice">
        <legend>{t("phraseLength")}</legend>
        <label><input type="radio" name="words" checked={words === 12} onChange={() => setWords(12)} /> {t("words12")}</label>
        <label><input id="words-24" type="radio" name="words" checked={words === 24} onChange={() => setWords(24)} /> {t("words24")}</label>
      </fieldset>
      <label for="phrase-language">{t("phraseLanguage")}</label>
      <select id="phrase-language" value={language} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
        {lists.map((l) => <option value={l.id}>{l.name}</option>)}
      </select>
      {props.error && <p role="alert" class="error">{said(props.error)}</p>}
      <div class="row">
        <button onClick={props.onBack}>{t("back")}</button>
        <button id="generate" class="primary" onClick={() => props.onPhrase(words, language)}>{t("continue")}</button>
      </div>
    </main>
  );
}

function ShowPhrase(props: { words: string[]; onNext: () => void }) {
  const [saved, setSaved] = useState(false);
  return (
    <main class="center narrow">
      <h1>{t("yourPhrase")}</h1>
      <p class="muted">{t("phraseWarning")}</p>
      <ol id="phrase" class="words">
        {props.words.map((w, i) => <li><span class="n">{i + 1}</span> <span class="w" data-index={i + 1}>{w}</span></li>)}
      </ol>
      <label class="check"><input id="phrase-saved" type="checkbox" checked={saved} onChange={(e) => setSaved((e.target as HTMLInputElement).checked)} /> {t("phraseSaved")}</label>
      <button id="phrase-next" class="primary" disabled={!saved} onClick={props.onNext}>{t("continue")}</button>
    </main>
  );
}

// Each answer is checked as it is typed (by Rust, which holds the phrase): a wrong word is said at
// once, beside its field, and the phrase can be shown again.
function Quiz(props: { quiz: number[]; error: Said | null; onAnswers: (a: string[]) => void; onShowAgain: () => void }) {
  const [answers, setAnswers] = useState(props.quiz.map(() => ""));
  const [right, setRight] = useState<boolean[]>(props.quiz.map(() => false));
  const [left, setLeft] = useState<boolean[]>(props.quiz.map(() => false));
  useEffect(() => {
    let current = true;
    commands.onboardingQuizCheck(answers).then((r) => current && setRight(r)).catch(() => {});
    return () => { current = false; };
  }, [answers]);
  const wrong = (i: number) => answers[i].trim() !== "" && left[i] && !right[i];
  return (
    <main class="center narrow">
      <h1>{t("quizTitle")}</h1>
      <p class="muted">{t("quizText")}</p>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); if (right.every(Boolean)) props.onAnswers(answers); }}>
        {props.quiz.map((p, i) => (
          <div>
            <label for={`quiz-${i}`}>{t("wordNumber", { n: p })}</label>
            <input id={`quiz-${i}`} data-position={p} autoComplete="off" autoCapitalize="none" spellcheck={false} value={answers[i]}
              aria-invalid={wrong(i) ? "true" : undefined} aria-describedby={wrong(i) ? `quiz-wrong-${i}` : undefined}
              onBlur={() => setLeft(left.map((l, j) => l || j === i))}
              onInput={(e) => setAnswers(answers.map((a, j) => (j === i ? (e.target as HTMLInputElement).value : a)))} />
            {wrong(i) && <p class="error small" role="alert" id={`quiz-wrong-${i}`}>{t("quizWrong", { n: p })}</p>}
            {right[i] && <span class="ok small" data-quiz-right={p}>✓</span>}
          </div>
        ))}
        {props.error && <p role="alert" class="error" id="quiz-error">{said(props.error)}</p>}
        <button id="quiz-next" class="primary" disabled={!right.every(Boolean)}>{t("continue")}</button>
        <button id="quiz-show-again" type="button" class="ghost" onClick={props.onShowAgain}>{t("showPhraseAgain")}</button>
      </form>
    </main>
  );
}

/** The recovery phrase typed word by word (or pasted), checked as it is typed; `title` and `intro` say
 * what it is for (a restore, or a new password for a forgotten one). */
export function RestoreWords(props: { title?: string; intro?: string; onBack: () => void; onPhrase: (phrase: string, passphrase: string) => void }) {
  const [count, setCount] = useState(12);
  const [words, setWords] = useState<string[]>(Array(24).fill(""));
  const [check, setCheck] = useState<PhraseCheck | null>(null);
  const [wordlist, setWordlist] = useState<string[]>([]);
  const [advanced, setAdvanced] = useState(false);
  const [passphrase, setPassphrase] = useState("");
  const [pasteMode, setPasteMode] = useState(false);
  // The fields the person has left: a mistyped word is flagged as soon as they leave it (as the quiz does).
  const [left, setLeft] = useState<Set<number>>(new Set());
  // The word lists by their names in their own language ("English", "Français"), to name the one found.
  const [lists, setLists] = useState<WordListView[]>([]);
  useEffect(() => { commands.onboardingWordLists().then(setLists).catch(() => setLists([])); }, []);
  const phrase = useMemo(() => words.slice(0, count).map((w) => w.trim()).filter(Boolean).join(" "), [words, count]);
  const language = check?.language ?? "english";

  useEffect(() => {
    commands.onboardingWordlist(language).then(setWordlist).catch(() => setWordlist([]));
  }, [language]);
  useEffect(() => {
    if (!phrase) return setCheck(null);
    let current = true;
    commands.onboardingCheckPhrase(phrase).then((c) => current && setCheck(c));
    return () => { current = false; };
  }, [phrase]);

  const fill = (text: string) => {
    const parts = pastedWords(text);
    const n = parts.length > 12 ? 24 : 12;
    setCount(n);
    setWords(Array.from({ length: 24 }, (_, i) => parts[i] ?? ""));
  };
  const unknown = check?.unknown_word ?? null;
  // Only flag a word once the person has moved past it (or the phrase is complete).
  const typedCount = words.slice(0, count).filter((w) => w.trim()).length;
  const showUnknown = unknown && (unknown.index < typedCount - 1 || typedCount === count || left.has(unknown.index));

  return (
    <main class="center wide">
      <h1>{props.title ?? t("restoreWallet")}</h1>
      <p class="muted">{props.intro ?? t("restoreIntro")}</p>
      <div class="row">
        <fieldset class="choice">
          <legend class="sr-only">{t("phraseLength")}</legend>
          <label><input type="radio" name="count" checked={count === 12} onChange={() => setCount(12)} /> {t("words12")}</label>
          <label><input id="count-24" type="radio" name="count" checked={count === 24} onChange={() => setCount(24)} /> {t("words24")}</label>
        </fieldset>
        <button id="paste-mode" class="ghost" onClick={() => setPasteMode(!pasteMode)}>{pasteMode ? t("typeWords") : t("pastePhrase")}</button>
      </div>
      {pasteMode ? (
        <div class="stack">
          <label for="paste-phrase">{t("pastePhrase")}</label>
          <textarea id="paste-phrase" rows={4} autoCapitalize="none" spellcheck={false} onInput={(e) => fill((e.target as HTMLTextAreaElement).value)} />
        </div>
      ) : (
        <ol class="word-inputs">
          {Array.from({ length: count }, (_, i) => (
            <li>
              <label for={`word-${i + 1}`} class="n"><span aria-hidden="true">{i + 1}</span><span class="sr-only">{t("wordOf", { n: i + 1, total: count })}</span></label>
              <input id={`word-${i + 1}`} list="wordlist" autoComplete="off" autoCapitalize="none" spellcheck={false}
                aria-invalid={showUnknown && unknown?.index === i ? "true" : undefined}
                value={words[i]}
                onBlur={() => words[i].trim() && setLeft(new Set(left).add(i))}
                onPaste={(e) => {
                  const text = e.clipboardData?.getData("text") ?? "";
                  if (/[\s,;]/u.test(text.trim())) { e.preventDefault(); fill(text); }
                }}
                onInput={(e) => setWords(words.map((w, j) => (j === i ? (e.target as HTMLInputElement).value.toLowerCase() : w)))} />
            </li>
          ))}
        </ol>
      )}
      <datalist id="wordlist">{wordlist.map((w) => <option value={w} />)}</datalist>
      {showUnknown && unknown && (
        <div class="suggest" role="alert" id="word-suggestion">
          <span>{t("unknownWord", { n: unknown.index + 1 })}</span>
          {unknown.suggestions.length > 0 && <span>{t("didYouMean")}</span>}
          {unknown.suggestions.map((s) => (
            <button class="chip" data-suggestion={s} onClick={() => setWords(words.map((w, j) => (j === unknown.index ? s : w)))}>{s}</button>
          ))}
        </div>
      )}
      {check && !check.unknown_word && check.error && typedCount === count && <p role="alert" class="error" id="phrase-error">{errorText(check.error)}</p>}
      {check?.valid && <p class="ok" id="phrase-valid">{t("phraseValid", { language: lists.find((l) => l.id === check.language)?.name ?? check.language ?? "" })}</p>}
      <details open={advanced} onToggle={(e) => setAdvanced((e.target as HTMLDetailsElement).open)}>
        <summary>{t("advanced")}</summary>
        <label for="passphrase">{t("passphrase")}</label>
        <input id="passphrase" type="password" autoComplete="off" value={passphrase} onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />
        <p class="muted small">{t("passphraseHelp")}</p>
      </details>
      <div class="row">
        <button onClick={props.onBack}>{t("back")}</button>
        <button id="restore-next" class="primary" disabled={!check?.valid} onClick={() => props.onPhrase(phrase, passphrase)}>{t("continue")}</button>
      </div>
    </main>
  );
}
