// What Rust reports, in the shopper's language: every error code, every warning and every blocker
// of the confirmation sheet, worded here from its code and its data (Rust sends codes and values,
// never sentences to show). The tables are typed by the generated union types, so a code without an
// English or a French text does not compile; messages.test.ts checks the same against bindings.ts.
// Text from a node or a merchant ({reason}) arrives sanitised and is always shown as theirs.
import { localAmount } from "./format";
import type { AccountView, Blocker, CommandError, ErrorCode, PaymentStatus, Warning } from "./bindings";
import { language, t, typeset, type Key } from "./i18n";
import { formatUnixTime } from "./time";

type Table = Record<ErrorCode, string>;

const errorsEn: Table = {
  not_ethereum: "This is not a payment code Tender can pay (an ethereum: link or an address).",
  request_too_long: "This payment code is too long to be a real one.",
  malformed_request: "This payment code is damaged. Ask the shop for a new one.",
  invalid_address: "This is not a valid address. Copy it again.",
  bad_address_checksum: "This address has a typo (its check letters do not match). Copy it again.",
  fractional_amount: "The amount in this payment code is not a whole number of units. Ask the shop for a new code.",
  negative_amount: "The amount in this payment code is negative. Ask the shop for a new code.",
  amount_overflow: "The amount in this payment code is impossibly large.",
  unknown_function: "This payment code asks for something other than a payment. Tender does not do it.",
  missing_parameter: "This payment code is incomplete. Ask the shop for a new one.",
  duplicate_parameter: "This payment code says the same thing twice, in two ways. Ask the shop for a new one.",
  unsupported_requirement: "This payment code needs a feature Tender does not have.",
  ambiguous_request: "This payment code is ambiguous. Tender will not guess: ask the shop for a new one.",
  bad_chain_id: "This payment code names an invalid network.",
  not_a_payment_link: "This is not a payment code Tender can pay: a shop’s https:// payment link, an ethereum: link or an address.",
  insecure_link: "This payment link is not secure (http://). Ask the shop for its https:// link.",
  private_shop_address: "This link leads inside your own network or this device, not to a shop on the internet. Tender does not follow it.",
  shop_unreachable: "The shop {domain} cannot be reached right now. Nothing was paid yet: try again.",
  bad_shop_answer: "The shop answered with something that is not a valid payment request. Nothing was signed.",
  shop_redirected: "This payment link leads to another website. Tender does not follow it: nothing was signed.",
  no_payment_asked: "This link does not ask for a payment.",
  shop_refused: "The shop did not take the payment. The shop said: “{reason}”",
  needs_native_for_fee: "This shop asks for an on-chain payment, which needs up to {needed} {symbol} for the network fee; this account has {available} {symbol}. A shop that offers “pay with no fee” needs none.",
  scheme_unsupported: "This shop asks for a kind of payment Tender does not make.",
  unknown_token: "This shop asks for a token this wallet does not know. Tender pays only tokens it shows.",
  no_authorizations: "This token cannot be paid without a network fee.",
  domain_mismatch: "The shop’s details of the token do not match the token itself. Nothing was signed.",
  bad_payee: "This shop asks to pay an address that cannot receive a payment. Nothing was signed.",
  bad_validity: "This shop asks for a payment that stays valid far too long. Tender refuses it.",
  permit2_unavailable: "This network’s payment contracts are not the ones Tender trusts. Nothing was signed.",
  approval_needed: "Paying this token at this shop needs a one-time approval first. Nothing was signed.",
  offer_invalid: "The shop’s signed offer does not hold. Nothing was signed.",
  duplicate_checkout: "This checkout was already paid from this wallet. Confirm explicitly to pay it again.",
  unknown_word: "Word {position} is not a recovery-phrase word. Check it against your written phrase.",
  bad_word_count: "A recovery phrase has 12, 15, 18, 21 or 24 words. This one has {count}.",
  bad_checksum: "These words do not form a valid recovery phrase. Check each word and their order.",
  unknown_language: "This word list is not available.",
  invalid_path: "This account path cannot be used.",
  derivation_failed: "This account could not be made. Try the next one.",
  wrong_password: "Wrong password.",
  locked: "The wallet is locked. Unlock it with your password first.",
  too_many_attempts: "Too many wrong passwords. Try again in {seconds} s.",
  weak_password: "Choose a stronger password: at least 8 characters, and not one a thief would try first (a few unusual words work well).",
  passwords_differ: "The two passwords differ. Type the same password twice.",
  passphrase_too_long: "The passphrase is too long: at most {max} bytes.",
  input_missing: "Something needed is missing. Check what you entered.",
  invalid_amount: "Enter an amount above zero, with at most {decimals} decimals.",
  confirmation_required: "Please confirm first.",
  vault_corrupt: "The wallet on this device is damaged. It was left untouched: restore it from your recovery phrase.",
  unsupported_vault_version: "This wallet was made by a newer Tender. Update Tender to open it.",
  metadata_corrupt: "The wallet's settings file is damaged. It was left untouched.",
  wallet_exists: "There is already a wallet on this device. Remove it first.",
  phrase_not_this_wallet: "This recovery phrase is not this wallet's (or its passphrase differs). Nothing was changed: check each word, and the passphrase if you set one.",
  no_wallet: "There is no wallet on this device yet. Create or restore one.",
  vault_missing: "The wallet's encrypted data is missing from this device. Restore it from your recovery phrase.",
  store_mismatch: "This wallet is kept elsewhere on this device.",
  keyring_unavailable: "The system keyring cannot be reached. Start it, or keep the wallet in an encrypted file instead.",
  keyring_locked: "The system keyring is locked or refused access. Unlock it and try again.",
  keyring_failed: "The system keyring failed. Try again.",
  unknown_account: "There is no such account in this wallet.",
  unknown_collection: "This collection is not among this wallet’s collectibles.",
  invalid_label: "This name cannot be used for an account.",
  token_list_refused: "This token list was not taken: it is not signed by this network’s retailer, it was changed after signing, or it is older than the list in use. Ask the shop for its current list and signature.",
  invalid_gateway: "This IPFS gateway cannot be used. Enter a web address such as http://127.0.0.1:8080.",
  invalid_typed_data: "This signature request cannot be read.",
  invalid_transaction: "This transaction cannot be signed as it is.",
  invalid_network: "This network cannot be used. Check the address you entered.",
  chain_id_mismatch: "This network address serves another network than expected. Check the network settings.",
  rpc_unavailable: "The network cannot be reached. Check your connection and try again.",
  bad_rpc_response: "The network sent an answer that cannot be right. Try again later, or choose another network.",
  not_a_token: "This contract is not a token Tender can use.",
  chain_mismatch: "This request is for another network. Switch network to pay it.",
  request_expired: "This payment request expired. Ask the shop for a new one.",
  amount_missing: "The request does not say how much to pay. Enter the amount.",
  amount_conflict: "The amount entered differs from the amount in the request.",
  ens_unsupported: "The payee is the name {name}, which cannot be looked up on this network. Ask for an address.",
  ens_not_found: "The name {name} does not lead to an address. Check it, or ask for an address.",
  insufficient_funds: "Not enough {symbol}: {needed} needed, {available} available.",
  would_fail: "This payment would fail. The network said: “{reason}”",
  token_refused: "The token refused this payment. Nothing was signed.",
  decimals_mismatch: "{symbol}’s contract says it has {on_chain} decimals, not the {listed} Tender lists: the amount could be wrong by powers of ten. Nothing was signed.",
  fee_too_high: "The network fee is unusually high right now. Nothing was signed: try again later.",
  gas_too_high: "This payment would cost far more than such a payment ever does. Nothing was signed.",
  fee_budget_exceeded: "Network fees of up to {spent} {symbol} were signed in the last hour, and this payment would pass the limit of {ceiling} {symbol} an hour. Nothing was signed: wait a while, and check what this wallet has been paying.",
  rejected: "Not paid so far: the network refused this payment for now. Your signed payment stays valid until it is sent again or cancelled, and Tender keeps checking it. The network said: “{reason}”",
  earlier_payment_outstanding: "An earlier payment from this account is signed but not on the network yet. Open it in the history and send it again or cancel it, then pay this one.",
  foreign_pending: "The network reports {count} payment(s) from this account waiting that this wallet did not make (another device with the same phrase?). Pay once they have gone through, or use another network endpoint.",
  quote_expired: "This price is no longer valid. Review the payment again.",
  quote_mismatch: "This is not the payment you reviewed. Review it again before paying.",
  no_quote: "Review the payment again before paying.",
  unknown_payment: "There is no such payment in this wallet.",
  payment_settled: "This payment is already settled on the network: it can no longer be sped up or cancelled.",
  replacement_refused: "The network refused this change: the payment is still waiting as it was. Try again: the next try offers a higher fee. The network said: “{reason}”",
  allowance_unchanged: "Permit2 can already move exactly {amount} {symbol} from this account: nothing to change.",
  probable_duplicate: "This was already paid from this wallet. Confirm explicitly to pay it again.",
  lookalike_payee: "This address only looks like {looks_like}, an address you know. Tick the box once you have compared every character.",
  database: "The wallet's local data could not be read or saved. Try again.",
  devnet_failed: "The local test network could not be started.",
  signing_failed: "The payment could not be signed. Try again.",
  random_failed: "This device's random number source failed. Try again.",
  io: "A file on this device could not be read or written.",
  no_phrase: "Start again: there is no new phrase to save.",
  quiz_failed: "That is not the word written at that position. Check your copy.",
  invalid_setting: "This setting cannot be used.",
  internal: "Something went wrong. Try again.",
};

const errorsFr: Table = {
  not_ethereum: "Ce n’est pas un code de paiement que Tender sait payer (un lien ethereum: ou une adresse).",
  request_too_long: "Ce code de paiement est trop long pour être authentique.",
  malformed_request: "Ce code de paiement est abîmé. Demandez-en un nouveau au magasin.",
  invalid_address: "Ce n’est pas une adresse valide. Copiez-la à nouveau.",
  bad_address_checksum: "Cette adresse contient une faute (ses lettres de contrôle ne correspondent pas). Copiez-la à nouveau.",
  fractional_amount: "Le montant de ce code n’est pas un nombre entier d’unités. Demandez un nouveau code au magasin.",
  negative_amount: "Le montant de ce code est négatif. Demandez un nouveau code au magasin.",
  amount_overflow: "Le montant de ce code est d’une taille impossible.",
  unknown_function: "Ce code demande autre chose qu’un paiement. Tender ne le fait pas.",
  missing_parameter: "Ce code de paiement est incomplet. Demandez-en un nouveau au magasin.",
  duplicate_parameter: "Ce code de paiement dit deux fois la même chose, de deux façons. Demandez-en un nouveau.",
  unsupported_requirement: "Ce code de paiement exige une fonction que Tender n’a pas.",
  ambiguous_request: "Ce code de paiement est ambigu. Tender ne devine pas : demandez-en un nouveau.",
  bad_chain_id: "Ce code de paiement désigne un réseau invalide.",
  not_a_payment_link: "Ce n’est pas un code de paiement que Tender peut payer : un lien de paiement https:// d’un magasin, un lien ethereum: ou une adresse.",
  insecure_link: "Ce lien de paiement n’est pas sécurisé (http://). Demandez au magasin son lien https://.",
  private_shop_address: "Ce lien mène à l’intérieur de votre propre réseau ou de cet appareil, pas à un magasin sur internet. Tender ne le suit pas.",
  shop_unreachable: "Le magasin {domain} est injoignable pour l’instant. Rien n’a encore été payé : réessayez.",
  bad_shop_answer: "Le magasin a répondu par autre chose qu’une demande de paiement valide. Rien n’a été signé.",
  shop_redirected: "Ce lien de paiement mène à un autre site. Tender ne le suit pas : rien n’a été signé.",
  no_payment_asked: "Ce lien ne demande pas de paiement.",
  shop_refused: "Le magasin n’a pas accepté le paiement. Le magasin a répondu : « {reason} »",
  needs_native_for_fee: "Ce magasin demande un paiement on-chain, qui exige jusqu’à {needed} {symbol} pour les frais de réseau ; ce compte en a {available} {symbol}. Un magasin qui propose « payer sans frais » n’en demande pas.",
  scheme_unsupported: "Ce magasin demande un type de paiement que Tender ne fait pas.",
  unknown_token: "Ce magasin demande un jeton que ce portefeuille ne connaît pas. Tender ne paie que les jetons qu’il affiche.",
  no_authorizations: "Ce jeton ne peut pas être payé sans frais de réseau.",
  domain_mismatch: "Les informations du magasin sur le jeton ne correspondent pas au jeton lui-même. Rien n’a été signé.",
  bad_payee: "Ce magasin demande de payer une adresse qui ne peut pas recevoir de paiement. Rien n’a été signé.",
  bad_validity: "Ce magasin demande un paiement valable bien trop longtemps. Tender le refuse.",
  permit2_unavailable: "Les contrats de paiement de ce réseau ne sont pas ceux auxquels Tender se fie. Rien n’a été signé.",
  approval_needed: "Payer ce jeton dans ce magasin demande d’abord une autorisation unique. Rien n’a été signé.",
  offer_invalid: "L’offre signée du magasin ne tient pas. Rien n’a été signé.",
  duplicate_checkout: "Ce paiement a déjà été fait depuis ce portefeuille. Confirmez explicitement pour payer à nouveau.",
  unknown_word: "Le mot {position} n’est pas un mot de phrase de récupération. Vérifiez-le sur votre copie.",
  bad_word_count: "Une phrase de récupération a 12, 15, 18, 21 ou 24 mots. Celle-ci en a {count}.",
  bad_checksum: "Ces mots ne forment pas une phrase de récupération valide. Vérifiez chaque mot et leur ordre.",
  unknown_language: "Cette liste de mots n’est pas disponible.",
  invalid_path: "Ce chemin de compte n’est pas utilisable.",
  derivation_failed: "Ce compte n’a pas pu être créé. Essayez le suivant.",
  wrong_password: "Mot de passe incorrect.",
  locked: "Le portefeuille est verrouillé. Déverrouillez-le d’abord avec votre mot de passe.",
  too_many_attempts: "Trop de mots de passe erronés. Réessayez dans {seconds} s.",
  weak_password: "Choisissez un mot de passe plus solide : au moins 8 caractères, et pas un de ceux qu’un voleur essaierait d’abord (quelques mots inhabituels font l’affaire).",
  passwords_differ: "Les deux mots de passe diffèrent. Tapez deux fois le même.",
  passphrase_too_long: "La phrase secrète est trop longue : {max} octets au plus.",
  input_missing: "Il manque une information. Vérifiez votre saisie.",
  invalid_amount: "Saisissez un montant supérieur à zéro, avec au plus {decimals} décimales.",
  confirmation_required: "Merci de confirmer d’abord.",
  vault_corrupt: "Le portefeuille de cet appareil est endommagé. Il n’a pas été modifié : restaurez-le avec votre phrase de récupération.",
  unsupported_vault_version: "Ce portefeuille a été créé par une version plus récente de Tender. Mettez Tender à jour.",
  metadata_corrupt: "Le fichier de réglages du portefeuille est endommagé. Il n’a pas été modifié.",
  wallet_exists: "Il y a déjà un portefeuille sur cet appareil. Retirez-le d’abord.",
  phrase_not_this_wallet: "Cette phrase de récupération n’est pas celle de ce portefeuille (ou sa phrase secrète diffère). Rien n’a changé : vérifiez chaque mot, et la phrase secrète si vous en avez mis une.",
  no_wallet: "Il n’y a pas encore de portefeuille sur cet appareil. Créez-en un ou restaurez-le.",
  vault_missing: "Les données chiffrées du portefeuille manquent sur cet appareil. Restaurez-le avec votre phrase de récupération.",
  store_mismatch: "Ce portefeuille est conservé ailleurs sur cet appareil.",
  keyring_unavailable: "Le trousseau du système est injoignable. Démarrez-le, ou gardez le portefeuille dans un fichier chiffré.",
  keyring_locked: "Le trousseau du système est verrouillé ou a refusé l’accès. Déverrouillez-le et réessayez.",
  keyring_failed: "Le trousseau du système a échoué. Réessayez.",
  unknown_account: "Ce compte n’existe pas dans ce portefeuille.",
  unknown_collection: "Cette collection ne fait pas partie des objets de ce portefeuille.",
  invalid_label: "Ce nom ne peut pas être donné à un compte.",
  token_list_refused: "Cette liste de jetons n’a pas été prise : elle n’est pas signée par le commerçant de ce réseau, elle a été modifiée après sa signature, ou elle est plus ancienne que celle en usage. Demandez au magasin sa liste actuelle et sa signature.",
  invalid_gateway: "Cette passerelle IPFS ne peut pas être utilisée. Saisissez une adresse web comme http://127.0.0.1:8080.",
  invalid_typed_data: "Cette demande de signature est illisible.",
  invalid_transaction: "Cette transaction ne peut pas être signée telle quelle.",
  invalid_network: "Ce réseau n’est pas utilisable. Vérifiez l’adresse saisie.",
  chain_id_mismatch: "Cette adresse de réseau sert un autre réseau que prévu. Vérifiez les réglages du réseau.",
  rpc_unavailable: "Le réseau est injoignable. Vérifiez votre connexion et réessayez.",
  bad_rpc_response: "Le réseau a envoyé une réponse impossible. Réessayez plus tard ou choisissez un autre réseau.",
  not_a_token: "Ce contrat n’est pas un jeton utilisable par Tender.",
  chain_mismatch: "Cette demande concerne un autre réseau. Changez de réseau pour la payer.",
  request_expired: "Cette demande de paiement a expiré. Demandez-en une nouvelle au magasin.",
  amount_missing: "La demande n’indique pas le montant. Saisissez-le.",
  amount_conflict: "Le montant saisi diffère de celui de la demande.",
  ens_unsupported: "Le bénéficiaire est le nom {name}, introuvable sur ce réseau. Demandez une adresse.",
  ens_not_found: "Le nom {name} ne mène à aucune adresse. Vérifiez-le ou demandez une adresse.",
  insufficient_funds: "Pas assez de {symbol} : il en faut {needed}, ce compte en a {available}.",
  would_fail: "Ce paiement échouerait. Le réseau a répondu : « {reason} »",
  token_refused: "Le jeton a refusé ce paiement. Rien n’a été signé.",
  decimals_mismatch: "Le contrat de {symbol} indique {on_chain} décimales, pas les {listed} listées par Tender : le montant pourrait être faux d’un facteur dix ou plus. Rien n’a été signé.",
  fee_too_high: "Les frais de réseau sont anormalement élevés en ce moment. Rien n’a été signé : réessayez plus tard.",
  gas_too_high: "Ce paiement coûterait bien plus qu’un tel paiement ne coûte jamais. Rien n’a été signé.",
  fee_budget_exceeded: "Des frais de réseau allant jusqu’à {spent} {symbol} ont été signés dans l’heure, et ce paiement dépasserait la limite de {ceiling} {symbol} par heure. Rien n’a été signé : patientez un peu et vérifiez ce que ce portefeuille a payé.",
  rejected: "Pas payé pour l’instant : le réseau a refusé ce paiement pour le moment. Votre paiement signé reste valable tant qu’il n’est ni renvoyé ni annulé, et Tender continue de le vérifier. Le réseau a répondu : « {reason} »",
  earlier_payment_outstanding: "Un paiement précédent de ce compte est signé mais pas encore sur le réseau. Ouvrez-le dans l’historique pour le renvoyer ou l’annuler, puis payez celui-ci.",
  foreign_pending: "Le réseau signale {count} paiement(s) de ce compte en attente que ce portefeuille n’a pas faits (un autre appareil avec la même phrase ?). Payez une fois qu’ils sont passés, ou utilisez un autre point d’accès au réseau.",
  quote_expired: "Ce prix n’est plus valable. Vérifiez à nouveau le paiement.",
  quote_mismatch: "Ce n’est pas le paiement que vous avez vérifié. Vérifiez-le à nouveau avant de payer.",
  no_quote: "Vérifiez à nouveau le paiement avant de payer.",
  unknown_payment: "Ce paiement n’existe pas dans ce portefeuille.",
  payment_settled: "Ce paiement est déjà réglé sur le réseau : il ne peut plus être accéléré ni annulé.",
  replacement_refused: "Le réseau a refusé ce changement : le paiement attend toujours, tel quel. Réessayez : le prochain essai propose des frais plus élevés. Le réseau a répondu : « {reason} »",
  allowance_unchanged: "Permit2 peut déjà déplacer exactement {amount} {symbol} depuis ce compte : rien à changer.",
  probable_duplicate: "Ceci a déjà été payé depuis ce portefeuille. Confirmez explicitement pour payer à nouveau.",
  lookalike_payee: "Cette adresse ressemble seulement à {looks_like}, une adresse que vous connaissez. Cochez la case après avoir comparé chaque caractère.",
  database: "Les données locales du portefeuille n’ont pas pu être lues ou enregistrées. Réessayez.",
  devnet_failed: "Le réseau de test local n’a pas pu démarrer.",
  signing_failed: "Le paiement n’a pas pu être signé. Réessayez.",
  random_failed: "La source de hasard de cet appareil a échoué. Réessayez.",
  io: "Un fichier de cet appareil n’a pas pu être lu ou écrit.",
  no_phrase: "Recommencez : il n’y a pas de nouvelle phrase à enregistrer.",
  quiz_failed: "Ce n’est pas le mot écrit à cette position. Vérifiez votre copie.",
  invalid_setting: "Ce réglage n’est pas utilisable.",
  internal: "Un problème est survenu. Réessayez.",
};

export const errorTables = { en: errorsEn, fr: errorsFr } as const;

type WarningKind = Warning["kind"];
type BlockerKind = Blocker["kind"];

const warningsEn: Record<WarningKind, string> = {
  unverified_token: "This token is not on Tender’s list for this network. Pay only if you trust this shop.",
  probable_duplicate: "This wallet already paid this amount to this payee ({when}). Paying again pays twice.",
  high_fee: "The network fee could be up to {percent}% of the amount paid.",
  non_ascii_name: "The payee’s name {name} has letters beyond plain a–z. Check it letter by letter: lookalike names are a common trick.",
  duplicate_checkout: "This wallet already paid this shop’s checkout ({when}). Paying again pays twice.",
  lookalike_payee: "Careful: this address looks like {looks_like}, an address you have used, but it is a different one. Scammers make such lookalikes to catch a copy from the history (address poisoning). Compare every character with the shop’s own page.",
};

const warningsFr: Record<WarningKind, string> = {
  unverified_token: "Ce jeton n’est pas sur la liste de Tender pour ce réseau. Ne payez que si vous faites confiance à ce magasin.",
  probable_duplicate: "Ce portefeuille a déjà payé ce montant à ce bénéficiaire ({when}). Payer à nouveau paie deux fois.",
  high_fee: "Les frais de réseau pourraient atteindre {percent} % du montant payé.",
  non_ascii_name: "Le nom du bénéficiaire {name} contient des lettres hors a–z. Vérifiez-le lettre par lettre : les noms sosies sont une ruse courante.",
  duplicate_checkout: "Ce portefeuille a déjà payé ce paiement de ce magasin ({when}). Payer à nouveau paie deux fois.",
  lookalike_payee: "Attention : cette adresse ressemble à {looks_like}, une adresse que vous avez utilisée, mais c’en est une autre. Les escrocs fabriquent de tels sosies pour piéger une copie depuis l’historique (empoisonnement d’adresse). Comparez chaque caractère avec la page du magasin.",
};

const blockersEn: Record<BlockerKind, string> = {
  chain_mismatch: "This request is for {network}, not the network this wallet uses. Switch to it in Settings to pay it.",
  request_expired: "This payment request expired ({when}). Ask the shop for a new one.",
  insufficient_funds: "Not enough {symbol}: {needed} needed, {available} available.",
  amount_missing: "The request does not say how much to pay.",
  amount_conflict: "The amount entered differs from the amount in the request.",
  ens_not_found: "The name {name} does not lead to an address.",
  ens_unsupported: "The name {name} cannot be looked up on this network. Ask for an address.",
  not_a_token: "The contract {address} is not a token Tender can use.",
  fee_too_high: "The network fee is unusually high right now. Try again later.",
  gas_too_high: "This payment would cost far more than such a payment ever does.",
  token_refused: "The token said it would not make this payment.",
  decimals_mismatch: "{symbol}’s contract says it has {on_chain} decimals, not the {listed} Tender lists: the amount shown could be wrong by powers of ten. Nothing will be signed.",
  would_fail: "This payment would fail. The network said: “{reason}”",
  needs_native_for_fee: "This shop asks for an on-chain payment, which needs up to {needed} {symbol} for the network fee; this account has {available} {symbol}. Add {symbol}, or ask the shop for its “pay with no fee” checkout, which needs none.",
  scheme_unsupported: "This shop asks for a kind of payment Tender does not make ({scheme}).",
  unknown_token: "This shop asks for a token this wallet does not know ({address}). Tender pays only tokens it shows.",
  no_authorizations: "The token {address} cannot be paid without a network fee.",
  domain_mismatch: "The shop’s details of the token do not match the token itself. Nothing will be signed.",
  bad_payee: "This shop asks to pay {payee}, which cannot receive a payment.",
  bad_validity: "This shop asks for a payment valid for {seconds} s. Tender refuses it.",
  permit2_unavailable: "This network’s payment contracts are not the ones Tender trusts ({reason}). Nothing will be signed.",
  approval_needed: "Paying {symbol} at this shop needs a one-time approval first (letting Permit2 move up to {amount} {symbol} for you), and this shop does not send it for you. You can approve it below (a transaction from your account, with a network fee), or ask the shop for another way to pay.",
  offer_invalid: "The shop’s signed offer does not hold ({reason}). Nothing will be signed.",
};

const blockersFr: Record<BlockerKind, string> = {
  chain_mismatch: "Cette demande concerne {network}, pas le réseau de ce portefeuille. Passez-y dans les Réglages pour la payer.",
  request_expired: "Cette demande de paiement a expiré ({when}). Demandez-en une nouvelle au magasin.",
  insufficient_funds: "Pas assez de {symbol} : il en faut {needed}, ce compte en a {available}.",
  amount_missing: "La demande n’indique pas le montant à payer.",
  amount_conflict: "Le montant saisi diffère de celui de la demande.",
  ens_not_found: "Le nom {name} ne mène à aucune adresse.",
  ens_unsupported: "Le nom {name} est introuvable sur ce réseau. Demandez une adresse.",
  not_a_token: "Le contrat {address} n’est pas un jeton utilisable par Tender.",
  fee_too_high: "Les frais de réseau sont anormalement élevés en ce moment. Réessayez plus tard.",
  gas_too_high: "Ce paiement coûterait bien plus qu’un tel paiement ne coûte jamais.",
  token_refused: "Le jeton a indiqué qu’il ne ferait pas ce paiement.",
  decimals_mismatch: "Le contrat de {symbol} indique {on_chain} décimales, pas les {listed} listées par Tender : le montant affiché pourrait être faux d’un facteur dix ou plus. Rien ne sera signé.",
  would_fail: "Ce paiement échouerait. Le réseau a répondu : « {reason} »",
  needs_native_for_fee: "Ce magasin demande un paiement on-chain, qui exige jusqu’à {needed} {symbol} pour les frais de réseau ; ce compte en a {available} {symbol}. Ajoutez des {symbol}, ou demandez au magasin son paiement « sans frais », qui n’en demande pas.",
  scheme_unsupported: "Ce magasin demande un type de paiement que Tender ne fait pas ({scheme}).",
  unknown_token: "Ce magasin demande un jeton que ce portefeuille ne connaît pas ({address}). Tender ne paie que les jetons qu’il affiche.",
  no_authorizations: "Le jeton {address} ne peut pas être payé sans frais de réseau.",
  domain_mismatch: "Les informations du magasin sur le jeton ne correspondent pas au jeton lui-même. Rien ne sera signé.",
  bad_payee: "Ce magasin demande de payer {payee}, qui ne peut pas recevoir de paiement.",
  bad_validity: "Ce magasin demande un paiement valable {seconds} s. Tender le refuse.",
  permit2_unavailable: "Les contrats de paiement de ce réseau ne sont pas ceux auxquels Tender se fie ({reason}). Rien ne sera signé.",
  approval_needed: "Payer des {symbol} dans ce magasin demande d’abord une autorisation unique (laisser Permit2 déplacer jusqu’à {amount} {symbol} pour vous), et ce magasin ne l’envoie pas pour vous. Vous pouvez l’autoriser ci-dessous (une transaction de votre compte, avec des frais réseau), ou demander au magasin un autre moyen de payer.",
  offer_invalid: "L’offre signée du magasin ne tient pas ({reason}). Rien ne sera signé.",
};

export const warningTables = { en: warningsEn, fr: warningsFr } as const;
export const blockerTables = { en: blockersEn, fr: blockersFr } as const;

/** The placeholders that hold an amount of money (an exact decimal from Rust, "12.5"): written in the
 * language's own way ("12,5" in French), every digit kept. */
const AMOUNTS = new Set(["needed", "available", "spent", "max", "ceiling", "amount"]);

function fill(text: string, params: Record<string, unknown>): string {
  return typeset(text.replace(/\{(\w+)\}/g, (_, name) => {
    const v = params[name];
    if (v == null) return "";
    return AMOUNTS.has(name) ? localAmount(String(v)) : String(v);
  }));
}

/** An account's name: the person's own, or "Account N" in the language of the moment. */
export function accountName(a: Pick<AccountView, "index" | "label">): string {
  return a.label ?? t("accountN", { n: a.index + 1 });
}

/** An error, in the current language. */
export function errorText(e: CommandError): string {
  const table = errorTables[language()];
  const text = table[e.code] ?? errorsEn[e.code] ?? errorsEn.internal;
  return fill(text, e.params ?? {});
}

/** A warning of the confirmation sheet, in the current language. */
export function warningText(w: Warning): string {
  const params: Record<string, unknown> = { ...w };
  if (w.kind === "probable_duplicate" || w.kind === "duplicate_checkout") params.when = formatUnixTime(w.paid_at);
  return fill(warningTables[language()][w.kind], params);
}

/** What blocks a payment, in the current language; `network`: the name of the network the request is for. */
export function blockerText(b: Blocker, context: { network?: string | null } = {}): string {
  const params: Record<string, unknown> = { ...b };
  if (b.kind === "request_expired") params.when = formatUnixTime(b.expired_at);
  if (b.kind === "chain_mismatch") params.network = context.network ?? t("anotherNetwork", { id: b.requested });
  return fill(blockerTables[language()][b.kind], params);
}

const statusKeys: Record<PaymentStatus, Key> = {
  signed: "status_signed", pending: "status_pending", confirmed: "status_confirmed", failed: "status_failed",
  replaced: "status_replaced", rejected: "status_rejected", unconfirmed: "status_unconfirmed",
  expired: "status_expired", cancelled: "status_cancelled",
};

/** A payment's status, in the current language. */
export function statusText(status: PaymentStatus, context: { gasless?: boolean } = {}): string {
  // A refusal names who refused: the shop (a gasless checkout) or the network.
  if (status === "rejected") return t(context.gasless ? "status_rejected_shop" : "status_rejected_network");
  return t(statusKeys[status]);
}

/**
 * What a status means for the shopper's money, when it needs saying: what happened to it and what can
 * still happen. `gasless`: a shop's checkout; `validUntil`: until when its signed payment stays valid
 * (the chain's clock), while the chain has not decided it.
 */
export function statusDetail(status: PaymentStatus, context: { gasless?: boolean; validUntil?: number | null } = {}): string | null {
  const until = context.validUntil != null ? formatUnixTime(context.validUntil) : null;
  switch (status) {
    case "signed": return t("statusDetail_signed");
    case "rejected":
      if (context.gasless) return until ? t("statusDetail_rejected_shop", { when: until }) : t("statusDetail_rejected_shop_open");
      return t("statusDetail_rejected");
    case "pending":
      return context.gasless && until ? t("statusDetail_pending_shop", { when: until }) : null;
    case "failed": return t("statusDetail_failed");
    case "replaced": return t("statusDetail_replaced");
    case "unconfirmed": return t("statusDetail_unconfirmed");
    case "expired": return t("statusDetail_expired");
    case "cancelled": return t("statusDetail_cancelled");
    default: return null;
  }
}

/**
 * Something to tell the person, kept as what it means (an error's code and data, or a key of the UI's
 * own texts) and worded only when shown: switching the language re-words what is on screen.
 */
export type Said = CommandError | { key: Key; params?: Record<string, string | number> };

/** A thrown command error (or anything else thrown) as something to say. */
export function sayError(e: unknown): Said {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as CommandError;
  return { code: "internal", message: String(e), params: {} };
}

/** `s` in the current language. */
export function said(s: Said): string {
  return "key" in s ? t(s.key, s.params) : errorText(s);
}
