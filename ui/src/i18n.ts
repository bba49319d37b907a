// English and French. Keys are checked by i18n.test.ts: both languages have exactly the same keys
// and the same {placeholders}.
import type { Language as LanguageSetting } from "./bindings";

const en = {
  skipToContent: "Skip to content", forgotPassword: "Forgot your password? Set a new one with your recovery phrase",
  resetTitle: "A new password", resetIntro: "Type this wallet's recovery phrase: it proves the wallet is yours. Nothing changes if it is another wallet's.", resetPassword: "Set the new password and unlock", account: "Account", accountN: "Account {n}", accountName: "Account name", accounts: "Accounts", addAccount: "Add account", added: "Added",
  advanced: "Advanced", amount: "Amount", appearance: "Appearance", autoLock: "Lock after inactivity", back: "Back",
  block: "Block", cameraView: "Camera view", cancel: "Cancel", cannotPay: "Cannot pay", chain: "chain",
  changePassword: "Change password", checking: "Checking…", choose: "Choose…", close: "Close",
  confirmPassword: "Repeat the password", confirmPayment: "Confirm payment", connect: "Connect", continue: "Continue",
  copied: "Copied", copyAddress: "Copy address", copyLink: "Copy payment link",
  createIntro: "Tender makes a recovery phrase: the words that are your wallet. Anyone with them can spend your money; without them, a lost device means lost money.",
  createWallet: "Create a new wallet", currentPassword: "Current password", customRpc: "Custom RPC URL", dark: "Dark",
  date: "Date", daysAgo: "{n} d ago", didYouMean: "Did you mean:", discoveryProgress: "Checked {scanned} accounts, {used} in use",
  discoveryStart: "Connecting…", discoveryTitle: "Finding your accounts", done: "Done", explorer: "Explorer", from: "From",
  hide: "Hide", hoursAgo: "{n} h ago", language: "Language", light: "Light", loading: "Loading…", lock: "Lock",
  lockedIdle: "Locked after a period of inactivity.", lockedSleep: "Locked because the computer went to sleep.",
  minutes: "{n} min", minutesAgo: "{n} min ago", navHistory: "History", navHome: "Home", navPay: "Pay",
  navReceive: "Receive", navSettings: "Settings", navigation: "Main", network: "Network", networkFee: "Network fee",
  never: "never", newPassword: "New password", noCamera: "No camera available: open a QR image or paste the link instead.",
  noHistory: "No payments yet.", noQrInImage: "No QR code found in this image.",
  offline: "Offline.",
  offlineText: "Showing balances from {age}.", openQrImage: "Open a QR code image", order: "Order", paid: "Paid",
  passphrase: "Passphrase (25th word)", passphraseHelp: "Only if you set one up when you made this wallet. A wrong passphrase opens a different, empty wallet.",
  password: "Password", passwordChanged: "Password changed.", passwordHelp: "It protects this wallet on this device. At least 8 characters, and hard to guess: a few unusual words work well.",
  passwordToShow: "Your password, to show the phrase", passwordsDiffer: "The passwords differ.",
  pasteLink: "Or paste a payment link", pastePhrase: "Paste the whole phrase", payAgainAnyway: "I want to pay again",
  payAmount: "Pay {amount}", payAnother: "Pay something else", payMerchant: "Pay {merchant}", payee: "Pay to",
  paying: "Paying…", phraseLanguage: "Word list", phraseLength: "Number of words",
  phraseSaved: "I have written down my recovery phrase", phraseValid: "Valid recovery phrase ({language}).",
  phraseWarning: "Write these words down on paper, in order, and keep them safe and offline. Never type them into a website or share them.",
  preset: "Network", problem: "Problem", whatHappened: "What happened", anotherNetwork: "another network (chain {id})", qrOf: "QR code of {what}", receiveOn: "Send to this address on {network} only: what is sent from another network may be lost.", quizText: "Type the words at these positions from your copy.",
  quizTitle: "Check your backup", received: "Received", recoveryPhrase: "Recovery phrase", refresh: "Refresh",
  refreshing: "Refreshing…", removeText: "This removes the wallet from this device. Your money stays on the network: the recovery phrase brings it back.",
  removeWallet: "Remove wallet", requestAmount: "Ask for an amount", restoreIntro: "Type your recovery phrase, word by word, or paste it.",
  restoreWallet: "Restore a wallet", review: "Review", saved: "Saved.", scanToPay: "Scan to pay", scanWithCamera: "Scan with the camera",
  secondsAgo: "{n} s ago", security: "Security", sent: "Sent", setPassword: "Choose a password", showPhrase: "Show recovery phrase",
  storeFile: "The wallet is kept in an encrypted file (no system keyring was found).", storeKeyring: "The wallet is kept in the system keyring, encrypted.",
  strength: "Password strength", strengthFair: "Fair", strengthGood: "Good", strengthStrong: "Strong",
  strengthTooShort: "Too short", strengthVeryWeak: "Very weak", strengthWeak: "Weak",
  passwordWhyShort: "Use at least 8 characters.", passwordWhyWeak: "Too easy to guess: add a few unusual words, or make it longer.", strengthTooGuessable: "among the first a thief would try", switchedTo: "Now using", synced: "Updated {age}",
  systemDefault: "System", testnet: "test network", theme: "Theme", to: "to", token: "Token", total: "Total",
  transaction: "Transaction", typeWords: "Type word by word", unknownWord: "Word {n} is not a recovery-phrase word.",
  unlock: "Unlock", unlockTitle: "Welcome back", unlocking: "Unlocking…", unverified: "unverified", upTo: "up to",
  viewOnExplorer: "View on the explorer", welcomeText: "Pay at checkout with the store token. Your keys stay on this device.",
  useFileStore: "Keep this wallet in an encrypted file on this device, protected by its password",
  noKeyringTitle: "No system keyring on this device",
  noKeyringText: "Tender keeps wallets in the system keyring, which other apps cannot read. This device has none running. Your wallet can be kept in an encrypted file instead: only your password opens it, but anyone who copies the file can try passwords on it, so choose a strong one.",
  welcomeTitle: "Tender", wordNumber: "Word #{n}", wordOf: "Word {n} of {total}", words12: "12 words", words24: "24 words", working: "Working…",
  yourPhrase: "Your recovery phrase",
  status_confirmed: "Confirmed", status_pending: "Pending", status_signed: "Not paid so far: not sent", status_failed: "Failed, not paid",
  status_replaced: "Replaced, not paid", status_rejected: "Not paid so far: refused",
  status_rejected_network: "Not paid so far: the network refused it", status_rejected_shop: "Not paid so far: the shop refused it", status_unconfirmed: "Not confirmed", status_expired: "Expired, not paid",
  statusDetail_signed: "Not sent yet: nothing has been paid so far. Send it again (the very same payment), or cancel it.",
  statusDetail_rejected: "The network refused it for now, so nothing has been paid so far. Your signed payment stays valid until it is sent again or cancelled, and Tender keeps checking it: you are not charged twice.",
  statusDetail_rejected_shop: "The shop refused it for now, so nothing has been paid so far. Your signed payment stays valid until {when} and Tender watches it; after that nothing can move. Ask the till before paying another way.",
  statusDetail_rejected_shop_open: "The shop refused it for now, so nothing has been paid so far. Your signed payment stays valid for a few minutes and Tender watches it.",
  statusDetail_pending_shop: "Sent to the shop, not settled yet. It stays valid until {when} and Tender watches it.",
  anotherLink: "Another payment link arrived. It does not replace this one.", reviewIt: "Review it instead",
  status_cancelled: "Cancelled, not paid",
  statusDetail_cancelled: "You cancelled it: nothing was paid. Only the network fee of the cancellation was spent.",
  network_devnet: "Local test chain", network_unnamed: "Another network (your own node)",
  linkWaiting: "A payment link is waiting: unlock to review it.", tryAgainIn: "Too many wrong passwords. Try again in {n} s.",
  switchedToName: "Now using {name}.", addedAccount: "Added {name}.", switchNetwork: "Switch",
  switchNetworkConfirm: "Switch to {name}? From now on the wallet shows your money on {name} and pays there. Nothing moves: what you hold on the network in use stays there.",
  quizWrong: "This is not word #{n} of your phrase. Check your copy, or show the phrase again.",
  showPhraseAgain: "Show the phrase again",
  notNow: "Not now", speedUp: "Speed up", cancelPayment: "Cancel payment", confirm: "Confirm", stuckTitle: "Still waiting",
  stuckHint: "The network has not taken it yet. Speed it up with a higher network fee, or cancel it: only one of them can go through.",
  speedUpConfirm: "Speed up: the same payment again, with a network fee of {fee} (before: {previous}).",
  cancelConfirm: "Cancel: in its place, send nothing to yourself, with a network fee of {fee}. If the cancellation goes through first, nothing is paid.",
  kind_speed_up: "sped up", kind_cancel: "cancellation",
  revoke: "Cancel this payment now",
  revokeConfirm: "Cancel it now: a transaction from your account makes this signed payment unusable, with a network fee of {fee}. If the shop settles it first, it is paid.",
  revokeNeedsEth: "Cancelling it needs up to {needed} {symbol} for the network fee, which this account does not have. It stays valid for a few minutes at most, then nothing can move.",
  revokeNeedsEthUntil: "Cancelling it needs up to {needed} {symbol} for the network fee, which this account does not have. It stays valid until {when}, then nothing can move.",
  sendAgain: "Send again", sendAgainHint: "Not sent. Sending it again sends the very same payment: it cannot pay twice.",
  networkSaid: "The network said: “{reason}”",
  statusDetail_failed: "The payment failed on the network: nothing was paid, only the network fee was spent.",
  statusDetail_replaced: "Another payment from this account was made in its place.",
  statusDetail_unconfirmed: "The token did not report the full transfer to the payee: this payment is not confirmed. Check with the shop.",
  statusDetail_expired: "The shop did not use this payment in time. Nothing was paid, and it can no longer be.",
  feePaidByShop: "paid by the shop", offerSigned: "Offer signed by the shop", offerSignedHint: "The shop signed these terms; Tender checked the signature.", receiptSigned: "Receipt signed by the shop", proof: "Proof of payment", showProof: "Show proof of payment", proofHint: "The request, the shop’s signed offer and receipt, and the transaction. A shop can check it without Tender: keep it for returns.", upToAmount: "Up to {amount}", uptoHint: "The shop charges what its till says, never more than this.", approval: "Approval", approvalSponsored: "Permit2 may move this amount once; the shop sends the approval", authorized: "Authorized", authorizedUpTo: "up to {amount}", shopAsks: "Shop", shopAsksHint: "The shop’s own web address, from the link you scanned.", shopSays: "The shop says: {text}",
  payShop: "Pay {shop}", shopSaid: "The shop said: “{reason}”",
  claimedName: "Calls itself “{name}” (its own words, not checked)", requestSays: "The request says: {text}",
  firstPayment: "First payment to this address", paidOnce: "Paid once before from this wallet ({when})",
  paidBefore: "Paid {n} times before from this wallet (last {when})", ownAccount: "One of your own accounts",
  lookalikeAck: "I compared every character: this is the address I mean to pay",
  lessThan: "less than {amount}", details: "Details", contract: "Contract", exactFee: "Network fee, at most (exact)",
  exactTotal: "Total, at most (exact)", expires: "Valid", expired: "expired", expiresInSeconds: "expires in {n} s",
  expiresInMinutes: "expires in {n} min", expiresOn: "until {when}",
  showHidden: "Show hidden transfers ({n})", hideHidden: "Hide suspicious transfers",
  suspicion_lookalike: "Suspicious: the sender looks like {looks_like}, an address you know, and is not it. Never pay it.",
  suspicion_zero_value: "Suspicious: a transfer of nothing, which anyone can make appear. Never pay its sender.",
  approveTitle: "Approve Permit2 for {symbol}",
  approveHint: "An approval is a transaction from your account: it moves no money and needs a little {native} for its network fee. Permit2 can then move up to the amount you choose, and only for payments you sign.",
  approveThisPayment: "This payment only: {amount}", approveLimit: "Up to a limit I choose", approveLimitAmount: "Limit ({symbol})",
  approveAsk: "Review the approval",
  approveConfirm: "Let Permit2 move up to {amount} from this account, for payments you sign? Network fee: {fee}.",
  revokeApprovalConfirm: "Revoke: Permit2 can no longer move your {symbol} (now up to {amount}). Network fee: {fee}.",
  approveNotConfirmed: "The approval is not confirmed yet ({status}). It is saved: it is never sent twice.",
  approvals: "Approvals", noApprovals: "Nothing can move your {symbol} without a payment you sign.",
  permit2MayMove: "Permit2 can move up to {amount} from this account, for payments you sign.", revokeApproval: "Revoke",
  kind_approval: "approval", kind_revoked: "approval revoked", approvalOf: "Permit2 approved for {amount}", approvalRevoked: "Permit2 approval revoked",
  approvalNoMoney: "An approval moves no money: only its network fee was spent.",
  saveProof: "Save as a file", proofSaved: "Saved: {path}",
};

export type Key = keyof typeof en;

const fr: Record<Key, string> = {
  skipToContent: "Aller au contenu", forgotPassword: "Mot de passe oublié ? Choisissez-en un nouveau avec votre phrase de récupération",
  resetTitle: "Un nouveau mot de passe", resetIntro: "Tapez la phrase de récupération de ce portefeuille : elle prouve qu’il est à vous. Rien ne change si c’est celle d’un autre.", resetPassword: "Enregistrer le mot de passe et déverrouiller", account: "Compte", accountN: "Compte {n}", accountName: "Nom du compte", accounts: "Comptes", addAccount: "Ajouter un compte", added: "Ajouté",
  advanced: "Avancé", amount: "Montant", appearance: "Apparence", autoLock: "Verrouiller après inactivité", back: "Retour",
  block: "Bloc", cameraView: "Vue de la caméra", cancel: "Annuler", cannotPay: "Paiement impossible", chain: "chaîne",
  changePassword: "Changer le mot de passe", checking: "Vérification…", choose: "Choisir…", close: "Fermer",
  confirmPassword: "Répétez le mot de passe", confirmPayment: "Confirmer le paiement", connect: "Se connecter", continue: "Continuer",
  copied: "Copié", copyAddress: "Copier l’adresse", copyLink: "Copier le lien de paiement",
  createIntro: "Tender crée une phrase de récupération : les mots qui sont votre portefeuille. Qui les possède peut dépenser votre argent ; sans eux, un appareil perdu, c’est de l’argent perdu.",
  createWallet: "Créer un portefeuille", currentPassword: "Mot de passe actuel", customRpc: "URL RPC personnalisée", dark: "Sombre",
  date: "Date", daysAgo: "il y a {n} j", didYouMean: "Vouliez-vous dire :", discoveryProgress: "{scanned} comptes vérifiés, {used} utilisés",
  discoveryStart: "Connexion…", discoveryTitle: "Recherche de vos comptes", done: "Terminé", explorer: "Explorateur", from: "De",
  hide: "Masquer", hoursAgo: "il y a {n} h", language: "Langue", light: "Clair", loading: "Chargement…", lock: "Verrouiller",
  lockedIdle: "Verrouillé après une période d’inactivité.", lockedSleep: "Verrouillé car l’ordinateur s’est mis en veille.",
  minutes: "{n} min", minutesAgo: "il y a {n} min", navHistory: "Historique", navHome: "Accueil", navPay: "Payer",
  navReceive: "Recevoir", navSettings: "Réglages", navigation: "Principal", network: "Réseau", networkFee: "Frais de réseau",
  never: "jamais", newPassword: "Nouveau mot de passe", noCamera: "Aucune caméra : ouvrez une image de QR code ou collez le lien.",
  noHistory: "Aucun paiement pour l’instant.", noQrInImage: "Aucun QR code dans cette image.",
  offline: "Hors ligne.",
  offlineText: "Soldes d’il y a {age}.", openQrImage: "Ouvrir une image de QR code", order: "Commande", paid: "Payé",
  passphrase: "Phrase secrète (25e mot)", passphraseHelp: "Seulement si vous en avez choisi une à la création. Une phrase secrète erronée ouvre un autre portefeuille, vide.",
  password: "Mot de passe", passwordChanged: "Mot de passe changé.", passwordHelp: "Il protège ce portefeuille sur cet appareil. Au moins 8 caractères, et difficile à deviner : quelques mots inhabituels font l’affaire.",
  passwordToShow: "Votre mot de passe, pour afficher la phrase", passwordsDiffer: "Les mots de passe diffèrent.",
  pasteLink: "Ou collez un lien de paiement", pastePhrase: "Coller la phrase entière", payAgainAnyway: "Je veux payer à nouveau",
  payAmount: "Payer {amount}", payAnother: "Payer autre chose", payMerchant: "Payer {merchant}", payee: "Bénéficiaire",
  paying: "Paiement…", phraseLanguage: "Liste de mots", phraseLength: "Nombre de mots",
  phraseSaved: "J’ai noté ma phrase de récupération", phraseValid: "Phrase de récupération valide ({language}).",
  phraseWarning: "Notez ces mots sur papier, dans l’ordre, et gardez-les hors ligne en lieu sûr. Ne les tapez jamais sur un site et ne les partagez pas.",
  preset: "Réseau", problem: "Problème", whatHappened: "Ce qui s’est passé", anotherNetwork: "un autre réseau (chaîne {id})", qrOf: "QR code de {what}", receiveOn: "N’envoyez à cette adresse que sur {network} : ce qui est envoyé depuis un autre réseau peut être perdu.", quizText: "Tapez les mots à ces positions, d’après votre copie.",
  quizTitle: "Vérifiez votre sauvegarde", received: "Reçu", recoveryPhrase: "Phrase de récupération", refresh: "Actualiser",
  refreshing: "Actualisation…", removeText: "Cela retire le portefeuille de cet appareil. Votre argent reste sur le réseau : la phrase de récupération le retrouve.",
  removeWallet: "Retirer le portefeuille", requestAmount: "Demander un montant", restoreIntro: "Tapez votre phrase de récupération mot par mot, ou collez-la.",
  restoreWallet: "Restaurer un portefeuille", review: "Vérifier", saved: "Enregistré.", scanToPay: "Scanner pour payer", scanWithCamera: "Scanner avec la caméra",
  secondsAgo: "il y a {n} s", security: "Sécurité", sent: "Envoyé", setPassword: "Choisissez un mot de passe", showPhrase: "Afficher la phrase de récupération",
  storeFile: "Le portefeuille est gardé dans un fichier chiffré (aucun trousseau système trouvé).", storeKeyring: "Le portefeuille est gardé chiffré dans le trousseau du système.",
  strength: "Robustesse du mot de passe", strengthFair: "Moyen", strengthGood: "Bon", strengthStrong: "Fort",
  strengthTooShort: "Trop court", strengthVeryWeak: "Très faible", strengthWeak: "Faible",
  passwordWhyShort: "Utilisez au moins 8 caractères.", passwordWhyWeak: "Trop facile à deviner : ajoutez quelques mots inhabituels, ou allongez-le.", strengthTooGuessable: "parmi les premiers qu’un voleur essaierait", switchedTo: "Réseau actuel :", synced: "Mis à jour {age}",
  systemDefault: "Système", testnet: "réseau de test", theme: "Thème", to: "à", token: "Jeton", total: "Total",
  transaction: "Transaction", typeWords: "Taper mot par mot", unknownWord: "Le mot {n} n’est pas un mot de phrase de récupération.",
  unlock: "Déverrouiller", unlockTitle: "Bon retour", unlocking: "Déverrouillage…", unverified: "non vérifié", upTo: "jusqu’à",
  viewOnExplorer: "Voir dans l’explorateur", welcomeText: "Payez en caisse avec le jeton du magasin. Vos clés restent sur cet appareil.",
  useFileStore: "Garder ce portefeuille dans un fichier chiffré sur cet appareil, protégé par son mot de passe",
  noKeyringTitle: "Pas de trousseau système sur cet appareil",
  noKeyringText: "Tender garde les portefeuilles dans le trousseau du système, que les autres applications ne peuvent pas lire. Aucun ne tourne sur cet appareil. Votre portefeuille peut être gardé dans un fichier chiffré à la place : seul votre mot de passe l’ouvre, mais qui copie le fichier peut y essayer des mots de passe, alors choisissez-en un solide.",
  welcomeTitle: "Tender", wordNumber: "Mot n°{n}", wordOf: "Mot {n} sur {total}", words12: "12 mots", words24: "24 mots", working: "En cours…",
  yourPhrase: "Votre phrase de récupération",
  status_confirmed: "Confirmé", status_pending: "En attente", status_signed: "Pas payé pour l’instant : non envoyé", status_failed: "Échoué, non payé",
  status_replaced: "Remplacé, non payé", status_rejected: "Pas payé pour l’instant : refusé",
  status_rejected_network: "Pas payé pour l’instant : le réseau l’a refusé", status_rejected_shop: "Pas payé pour l’instant : le magasin l’a refusé", status_unconfirmed: "Non confirmé", status_expired: "Expiré, non payé",
  statusDetail_signed: "Pas encore envoyé : rien n’a été payé pour l’instant. Renvoyez-le (exactement le même paiement) ou annulez-le.",
  statusDetail_rejected: "Le réseau l’a refusé pour le moment : rien n’a été payé pour l’instant. Votre paiement signé reste valable tant qu’il n’est ni renvoyé ni annulé, et Tender continue de le vérifier : vous ne paierez pas deux fois.",
  statusDetail_rejected_shop: "Le magasin l’a refusé pour le moment : rien n’a été payé pour l’instant. Votre paiement signé reste valable jusqu’à {when} et Tender le surveille ; ensuite plus rien ne peut bouger. Demandez en caisse avant de payer autrement.",
  statusDetail_rejected_shop_open: "Le magasin l’a refusé pour le moment : rien n’a été payé pour l’instant. Votre paiement signé reste valable quelques minutes et Tender le surveille.",
  statusDetail_pending_shop: "Envoyé au magasin, pas encore réglé. Il reste valable jusqu’à {when} et Tender le surveille.",
  anotherLink: "Un autre lien de paiement est arrivé. Il ne remplace pas celui-ci.", reviewIt: "L’examiner à la place",
  status_cancelled: "Annulé, non payé",
  statusDetail_cancelled: "Vous l’avez annulé : rien n’a été payé. Seuls les frais réseau de l’annulation ont été dépensés.",
  network_devnet: "Chaîne de test locale", network_unnamed: "Autre réseau (votre propre nœud)",
  linkWaiting: "Un lien de paiement attend : déverrouillez pour le vérifier.", tryAgainIn: "Trop de mots de passe erronés. Réessayez dans {n} s.",
  switchedToName: "Réseau actuel : {name}.", addedAccount: "{name} ajouté.", switchNetwork: "Changer",
  switchNetworkConfirm: "Passer à {name} ? Le portefeuille montrera alors votre argent sur {name} et paiera là. Rien ne bouge : ce que vous avez sur le réseau actuel y reste.",
  quizWrong: "Ce n’est pas le mot n° {n} de votre phrase. Vérifiez votre copie, ou affichez la phrase à nouveau.",
  showPhraseAgain: "Afficher la phrase à nouveau",
  notNow: "Pas maintenant", speedUp: "Accélérer", cancelPayment: "Annuler le paiement", confirm: "Confirmer", stuckTitle: "Toujours en attente",
  stuckHint: "Le réseau ne l’a pas encore pris. Accélérez-le avec des frais réseau plus élevés, ou annulez-le : un seul des deux peut passer.",
  speedUpConfirm: "Accélérer : le même paiement, avec des frais réseau de {fee} (avant : {previous}).",
  cancelConfirm: "Annuler : à sa place, n’envoyer rien à vous-même, avec des frais réseau de {fee}. Si l’annulation passe en premier, rien n’est payé.",
  kind_speed_up: "accéléré", kind_cancel: "annulation",
  revoke: "Annuler ce paiement maintenant",
  revokeConfirm: "L’annuler maintenant : une transaction de votre compte rend ce paiement signé inutilisable, avec des frais réseau de {fee}. Si le magasin le règle avant, il est payé.",
  revokeNeedsEth: "L’annuler demande jusqu’à {needed} {symbol} de frais réseau, que ce compte n’a pas. Il reste valable quelques minutes au plus, puis plus rien ne peut bouger.",
  revokeNeedsEthUntil: "L’annuler demande jusqu’à {needed} {symbol} de frais réseau, que ce compte n’a pas. Il reste valable jusqu’à {when}, puis plus rien ne peut bouger.",
  sendAgain: "Renvoyer", sendAgainHint: "Non envoyé. Le renvoyer envoie exactement le même paiement : il ne peut pas payer deux fois.",
  networkSaid: "Le réseau a répondu : « {reason} »",
  statusDetail_failed: "Le paiement a échoué sur le réseau : rien n’a été payé, seuls les frais de réseau ont été dépensés.",
  statusDetail_replaced: "Un autre paiement de ce compte a été effectué à sa place.",
  statusDetail_unconfirmed: "Le jeton n’a pas signalé le transfert complet au bénéficiaire : ce paiement n’est pas confirmé. Vérifiez auprès du magasin.",
  statusDetail_expired: "Le magasin n’a pas utilisé ce paiement à temps. Rien n’a été payé, et rien ne peut plus l’être.",
  feePaidByShop: "payés par le magasin", offerSigned: "Offre signée par le magasin", offerSignedHint: "Le magasin a signé ces conditions ; Tender a vérifié la signature.", receiptSigned: "Reçu signé par le magasin", proof: "Preuve de paiement", showProof: "Afficher la preuve de paiement", proofHint: "La demande, l’offre et le reçu signés par le magasin, et la transaction. Un magasin peut la vérifier sans Tender : gardez-la pour un retour.", upToAmount: "Jusqu’à {amount}", uptoHint: "Le magasin prélève ce qu’indique sa caisse, jamais plus que ce montant.", approval: "Autorisation", approvalSponsored: "Permit2 pourra déplacer ce montant une fois ; le magasin envoie l’autorisation", authorized: "Autorisé", authorizedUpTo: "jusqu’à {amount}", shopAsks: "Magasin", shopAsksHint: "L’adresse web du magasin, d’après le lien scanné.", shopSays: "Le magasin indique : {text}",
  payShop: "Payer {shop}", shopSaid: "Le magasin a répondu : « {reason} »",
  claimedName: "Se présente comme « {name} » (ses propres mots, non vérifiés)", requestSays: "La demande indique : {text}",
  firstPayment: "Premier paiement à cette adresse", paidOnce: "Déjà payé une fois depuis ce portefeuille ({when})",
  paidBefore: "Déjà payé {n} fois depuis ce portefeuille (dernière fois : {when})", ownAccount: "L’un de vos propres comptes",
  lookalikeAck: "J’ai comparé chaque caractère : c’est bien l’adresse que je veux payer",
  lessThan: "moins de {amount}", details: "Détails", contract: "Contrat", exactFee: "Frais de réseau, au plus (exact)",
  exactTotal: "Total, au plus (exact)", expires: "Validité", expired: "expirée", expiresInSeconds: "expire dans {n} s",
  expiresInMinutes: "expire dans {n} min", expiresOn: "jusqu’au {when}",
  showHidden: "Afficher les transferts masqués ({n})", hideHidden: "Masquer les transferts suspects",
  suspicion_lookalike: "Suspect : l’expéditeur ressemble à {looks_like}, une adresse que vous connaissez, mais ce n’est pas elle. Ne la payez jamais.",
  suspicion_zero_value: "Suspect : un transfert de rien, que n’importe qui peut faire apparaître. Ne payez jamais son expéditeur.",
  approveTitle: "Autoriser Permit2 pour les {symbol}",
  approveHint: "Une autorisation est une transaction de votre compte : elle ne déplace pas d’argent et demande un peu d’{native} pour ses frais réseau. Permit2 pourra ensuite déplacer jusqu’au montant choisi, et seulement pour des paiements que vous signez.",
  approveThisPayment: "Ce paiement seulement : {amount}", approveLimit: "Jusqu’à une limite que je choisis", approveLimitAmount: "Limite ({symbol})",
  approveAsk: "Vérifier l’autorisation",
  approveConfirm: "Laisser Permit2 déplacer jusqu’à {amount} depuis ce compte, pour des paiements que vous signez ? Frais réseau : {fee}.",
  revokeApprovalConfirm: "Révoquer : Permit2 ne pourra plus déplacer vos {symbol} (jusqu’à {amount} aujourd’hui). Frais réseau : {fee}.",
  approveNotConfirmed: "L’autorisation n’est pas encore confirmée ({status}). Elle est enregistrée : elle n’est jamais envoyée deux fois.",
  approvals: "Autorisations", noApprovals: "Rien ne peut déplacer vos {symbol} sans un paiement que vous signez.",
  permit2MayMove: "Permit2 peut déplacer jusqu’à {amount} depuis ce compte, pour des paiements que vous signez.", revokeApproval: "Révoquer",
  kind_approval: "autorisation", kind_revoked: "autorisation révoquée", approvalOf: "Permit2 autorisé pour {amount}", approvalRevoked: "Autorisation de Permit2 révoquée",
  approvalNoMoney: "Une autorisation ne déplace pas d’argent : seuls ses frais réseau ont été dépensés.",
  saveProof: "Enregistrer dans un fichier", proofSaved: "Enregistrée : {path}",
};

export const dictionaries = { en, fr } as const;
export type Language = keyof typeof dictionaries;

let current: Language = detect("system");

/** The language of the saved setting (`system` follows the system's: French, or else English). */
function detect(setting: LanguageSetting): Language {
  if (setting === "en" || setting === "fr") return setting;
  const nav = typeof navigator !== "undefined" ? navigator.language : "en";
  return nav.toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** Sets the UI language from the saved setting. */
export function setLanguage(setting: LanguageSetting) {
  current = detect(setting);
  if (typeof document !== "undefined") document.documentElement.lang = current;
}

export function language(): Language {
  return current;
}

/** The text of `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  return typeset(text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? `{${name}}`)));
}

/**
 * A filled text as the language sets it. French: a narrow no-break space before : ; ? ! % and inside
 * « » (never a line break there), and "de" elided before a symbol that starts with a vowel ("d’ETH",
 * "d’USDC"), which only the filled text shows.
 */
export function typeset(text: string, lang: Language = current): string {
  if (lang !== "fr") return text;
  return text
    .replace(/ ([:;?!%»])/g, "\u202f$1")
    .replace(/« /g, "«\u202f")
    .replace(/\b([Dd])e ([AEIOUY][A-Z0-9]*)\b/g, "$1’$2");
}
