<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+259"/>
        <source>About PACS Desktop</source>
        <translation>À propos de PACS Desktop</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Radiology workstation: local DICOM archive, image viewer, PACS query and retrieve, and dictation.</source>
        <translation>Station de radiologie : archive DICOM locale, visionneuse d&apos;images, requête et récupération PACS, et dictée.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Version:</source>
        <translation>Version :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence:</source>
        <translation>Licence :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder:</source>
        <translation>Dossier des données :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log folder:</source>
        <translation>Dossier des journaux :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs on:</source>
        <translation>Fonctionne avec :</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Component</source>
        <translation>Composant</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Components and their licences:</source>
        <translation>Composants et leurs licences :</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+125"/>
        <source>Add user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>User name:</source>
        <translation>Nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role:</source>
        <translation>Rôle :</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter a user name.</source>
        <translation>Saisissez un nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Les deux mots de passe diffèrent. Saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>ArchiveActions</name>
    <message>
        <location filename="../pacs_desktop/ui/archive_actions.py" line="+77"/>
        <source>&amp;Delete from local archive...</source>
        <extracomment>sig_deleted(object): the RemovedStudy of a finished deletion.</extracomment>
        <translation>&amp;Supprimer de l&apos;archive locale...</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Delete from local archive</source>
        <translation>Supprimer de l&apos;archive locale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the images of this study from the local archive?</source>
        <translation>Supprimer les images de cette étude de l&apos;archive locale ?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Patient: {name}
Patient ID: {patient_id}
Instances: {count}

Dictations and reports of the study are kept, and copies on the PACS are not touched.</source>
        <translation>Patient : {name}
ID patient : {patient_id}
Instances : {count}

Les dictées et les comptes rendus de l&apos;étude sont conservés, et les copies sur le PACS ne sont pas touchées.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Deleted {count} instances from the local archive</source>
        <translation>{count} instances supprimées de l&apos;archive locale</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Study not deleted</source>
        <translation>Étude non supprimée</translation>
    </message>
</context>
<context>
    <name>ArchiveUpkeep</name>
    <message>
        <location line="+98"/>
        <source>Local archive over its size limit: {evicted} studies evicted, {kept} kept because no PACS confirmed a full copy or they are in use</source>
        <extracomment>sig_evicted(object): the EvictionReport of a finished run.</extracomment>
        <translation>Archive locale au-delà de sa taille maximale : {evicted} études retirées, {kept} conservées car aucun PACS n&apos;a confirmé une copie complète ou elles sont en cours d&apos;utilisation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Local archive size limit: {evicted} studies evicted that the PACS holds</source>
        <translation>Taille maximale de l&apos;archive locale : {evicted} études retirées que le PACS conserve</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Local archive eviction failed: {reason}</source>
        <translation>Le retrait de l&apos;archive locale a échoué : {reason}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/security/audit_view.py" line="+67"/>
        <source>Time (UTC)</source>
        <translation>Heure (UTC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Résultat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{user} (system account)</source>
        <translation>{user} (compte système)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>account: {name}</source>
        <translation>compte : {name}</translation>
    </message>
</context>
<context>
    <name>AuditViewDialog</name>
    <message>
        <location line="+21"/>
        <source>Audit trail</source>
        <translation>Journal d&apos;audit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any user</source>
        <translation>tous les utilisateurs</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any event</source>
        <translation>tous les événements</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply filter</source>
        <translation>Appliquer le filtre</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Verify chain</source>
        <translation>Vérifier la chaîne</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export XML...</source>
        <translation>Exporter en XML...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event:</source>
        <translation>Événement :</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{count} records</source>
        <translation>{count} enregistrements</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Chain intact: {count} records checked.</source>
        <translation>Chaîne intacte : {count} enregistrements vérifiés.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chain broken at record {seq} ({problem}): {message}</source>
        <translation>Chaîne rompue à l&apos;enregistrement {seq} ({problem}) : {message}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The export to {path} failed: {reason}</source>
        <translation>L&apos;export vers {path} a échoué : {reason}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export the audit records</source>
        <translation>Exporter les enregistrements d&apos;audit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>XML files (*.xml)</source>
        <translation>Fichiers XML (*.xml)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} records exported to {path}</source>
        <translation>{count} enregistrements exportés vers {path}</translation>
    </message>
</context>
<context>
    <name>ConfirmPatientDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/confirm.py" line="+60"/>
        <source>Confirm the patient</source>
        <extracomment>sig_mismatch(int): a wrong entry was refused; the count of refusals so far.</extracomment>
        <translation>Confirmer le patient</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open study</source>
        <translation>Ouvrir l&apos;examen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This study has neither a birth date nor a patient ID, so the patient cannot be confirmed. Correct the patient data first.</source>
        <translation>Cet examen n&apos;a ni date de naissance ni ID patient ; le patient ne peut donc pas être confirmé. Corrigez d&apos;abord les données du patient.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID:</source>
        <translation>ID patient :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date:</source>
        <translation>Date de naissance :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex:</source>
        <translation>Sexe :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession:</source>
        <translation>N° d&apos;accession :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date:</source>
        <translation>Date de l&apos;examen :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description:</source>
        <translation>Description :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality:</source>
        <translation>Modalité :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type the patient&apos;s birth date to confirm:</source>
        <translation>Saisissez la date de naissance du patient pour confirmer :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The birth date is empty. Type the patient ID to confirm:</source>
        <translation>La date de naissance est vide. Saisissez l&apos;ID patient pour confirmer :</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-JJ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>as shown above</source>
        <translation>comme affiché ci-dessus</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The birth date does not match this patient. Check the patient and type the date as {hint}.</source>
        <translation>La date de naissance ne correspond pas à ce patient. Vérifiez le patient et saisissez la date au format {hint}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The patient ID does not match this patient. Check the patient and type the ID exactly.</source>
        <translation>L&apos;ID patient ne correspond pas à ce patient. Vérifiez le patient et saisissez l&apos;ID exactement.</translation>
    </message>
</context>
<context>
    <name>ConnectionTestButton</name>
    <message>
        <location filename="../pacs_desktop/ui/network/connection_test.py" line="+38"/>
        <source>&amp;Test connection</source>
        <extracomment>sig_tested(bool, str): success and the message shown.</extracomment>
        <translation>&amp;Tester la connexion</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select a node to test.</source>
        <translation>Sélectionnez un nœud à tester.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testing {node}...</source>
        <translation>Test de {node}...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Connection works: C-ECHO answered in {ms:.0f} ms.</source>
        <translation>La connexion fonctionne : C-ECHO a répondu en {ms:.0f} ms.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connection failed: {reason}</source>
        <translation>Échec de la connexion : {reason}</translation>
    </message>
</context>
<context>
    <name>DictationDesk</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="+182"/>
        <source>Transcription &amp;worklist</source>
        <extracomment>sig_published(object): the Published object just archived; its send_job_id is set when a send to the dictation node was queued. sig_pending_checked(int): the start-up check for finished recordings and signed reports without an archived object ended; how many it published.</extracomment>
        <translation>&amp;Liste de transcription</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Import dictation audio...</source>
        <translation>&amp;Importer l&apos;audio d&apos;une dictée...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Dictation</source>
        <translation>&amp;Dictée</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Study dictations</source>
        <translation>Dictées de l&apos;examen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Dictation</source>
        <translation>Dictée</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+53"/>
        <source>Import dictation audio</source>
        <translation>Importer l&apos;audio d&apos;une dictée</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Audio files (*.wav *.flac)</source>
        <translation>Fichiers audio (*.wav *.flac)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Attach recording</source>
        <translation>Rattacher l&apos;enregistrement</translation>
    </message>
</context>
<context>
    <name>EmergencyAccessDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+60"/>
        <source>Emergency access</source>
        <translation>Accès d&apos;urgence</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This study is restricted and your role does not open it. In an emergency you may open it for {minutes} minutes after stating why. The access and the reason are recorded in the audit trail as an emergency override.</source>
        <translation>Cet examen est restreint et votre rôle ne permet pas de l&apos;ouvrir. En cas d&apos;urgence, vous pouvez l&apos;ouvrir pendant {minutes} minutes après avoir indiqué le motif. L&apos;accès et le motif sont enregistrés dans le journal d&apos;audit comme accès d&apos;urgence.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reason for the emergency access</source>
        <translation>Motif de l&apos;accès d&apos;urgence</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open with emergency access</source>
        <translation>Ouvrir avec l&apos;accès d&apos;urgence</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason:</source>
        <translation>Motif :</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>State the reason; emergency access needs one.</source>
        <translation>Indiquez le motif ; l&apos;accès d&apos;urgence en exige un.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/filter_bar.py" line="+80"/>
        <source>Name, * and ? match any text</source>
        <extracomment>sig_query_changed(StudyQuery): the filter the study table should show. sig_submitted(): the user pressed Enter in a field, after the bar emitted sig_query_changed for the current fields.</extracomment>
        <translation>Nom, * et ? remplacent n&apos;importe quel texte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient ID</source>
        <translation>ID patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-JJ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CT, MR ...</source>
        <translation>CT, MR ...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accession number</source>
        <translation>Numéro d&apos;accession</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Study description, * and ?</source>
        <translation>Description de l&apos;étude, * et ?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Study date from (inclusive)</source>
        <translation>Date de l&apos;examen à partir du (inclus)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date to (inclusive)</source>
        <translation>Date de l&apos;examen jusqu&apos;au (inclus)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I&amp;D:</source>
        <translation>I&amp;D :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date:</source>
        <translation>Date de nai&amp;ssance :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Date from:</source>
        <translation>&amp;Date du :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to:</source>
        <translation>au :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalité :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Accession:</source>
        <translation>N° d&apos;&amp;accession :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;escription:</source>
        <translation>D&amp;escription :</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>A modality is 1 to 16 letters, digits or underscores, such as CT or MR. Separate several with commas.</source>
        <translation>Une modalité compte de 1 à 16 lettres, chiffres ou traits de soulignement, par exemple CT ou MR. Séparez-en plusieurs par des virgules.</translation>
    </message>
</context>
<context>
    <name>FrameLoader</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/loader.py" line="+829"/>
        <source>A new copy cannot be retrieved automatically: {reason}</source>
        <extracomment>sig_series_loaded(int, object): generation, `LoadedSeries`. sig_series_failed(int, str): generation, reason. sig_frame_decoded(int, int, object): generation, display index, `FrameImage`. sig_frame_failed(int, int, object): generation, display index, `FrameFailure`. sig_frame_skipped(int, int): generation, display index no longer wanted. sig_first_frame(int, object, object): generation, `FrameRef`, `FrameImage` of the frame decoded before the series order is known. sig_first_frame_failed(int): generation; the series load goes on. sig_series_loaded(object): the `LoadedSeries` of the last `load_series`. sig_series_failed(str): why the series could not be read. sig_frame_ready(int, object): display index and decoded `FrameImage`. sig_frame_failed(int, str): display index and why it could not be decoded. sig_preview_ready(object): the `FrameImage` of the image that is most likely the series&apos; first, decoded before the series order is known. sig_refetch_queued(object): the `RefetchPlan` of a retrieve just queued because a stored file of the series failed its SHA-256 check. Frames decoded in worker processes since this loader was made.</extracomment>
        <translation>Une nouvelle copie ne peut pas être récupérée automatiquement : {reason}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A new copy is being retrieved from {node}.</source>
        <translation>Une nouvelle copie est en cours de récupération depuis {node}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It cannot be retrieved again because it was imported from files; import it again from its source.</source>
        <translation>Elle ne peut pas être récupérée à nouveau, car elle a été importée depuis des fichiers ; importez-la à nouveau depuis sa source.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It cannot be retrieved again because no PACS node with AE title {ae_title} is configured; add that node, then reopen the study.</source>
        <translation>Elle ne peut pas être récupérée à nouveau, car aucun nœud PACS avec le titre AE {ae_title} n&apos;est configuré ; ajoutez ce nœud, puis rouvrez l&apos;étude.</translation>
    </message>
</context>
<context>
    <name>HelpAndSettingsMenus</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+20"/>
        <source>&amp;Settings...</source>
        <translation>&amp;Paramètres...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About PACS Desktop</source>
        <translation>À &amp;propos de PACS Desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Tools</source>
        <translation>&amp;Outils</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Modalities read here: {list}</source>
        <translation>Modalités lues ici : {list}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Settings unavailable</source>
        <translation>Paramètres indisponibles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings cannot be opened: {reason}</source>
        <translation>Les paramètres ne peuvent pas être ouverts : {reason}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Record / pause</source>
        <translation>Enregistrer / pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause</source>
        <translation>Lecture / pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Arrêt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind</source>
        <translation>Retour rapide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward</source>
        <translation>Avance rapide</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dictation</source>
        <translation>Dictée</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="+404"/>
        <source>PACS Desktop - locked</source>
        <extracomment>sig_locked(): the window hides its patient data now. sig_locked_by_user(): emitted after `sig_locked` when the user locked the screen on purpose rather than by the idle timeout. sig_unlocked(): the session&apos;s user unlocked; the content is back. sig_switch_user(str): this administrator closes the locked session.</extracomment>
        <translation>PACS Desktop - verrouillé</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>The account is locked after too many wrong passwords. An administrator can close this session below.</source>
        <translation>Le compte est verrouillé après trop de mots de passe erronés. Un administrateur peut fermer cette session ci-dessous.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrong password. Try again.</source>
        <translation>Mot de passe erroné. Réessayez.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The administrator&apos;s name or password is wrong.</source>
        <translation>Le nom ou le mot de passe de l&apos;administrateur est erroné.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Only an administrator can close this session.</source>
        <translation>Seul un administrateur peut fermer cette session.</translation>
    </message>
</context>
<context>
    <name>ImportSummaryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/import_summary.py" line="+32"/>
        <source>Import cancelled</source>
        <translation>Import annulé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import finished</source>
        <translation>Import terminé</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Imported: {imported} files
Duplicates (already in the archive): {duplicates} files
Rejected: {rejected} files
Duplicates that differ from the stored copy: {conflicts} files
Studies with new images: {studies}</source>
        <translation>Importés : {imported} fichiers
Doublons (déjà dans l&apos;archive) : {duplicates} fichiers
Rejetés : {rejected} fichiers
Doublons différents de la copie stockée : {conflicts} fichiers
Examens avec de nouvelles images : {studies}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Skipped (not DICOM): {skipped} files</source>
        <translation>Ignorés (pas DICOM) : {skipped} fichiers</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Duplicates that differ from the stored copy:</source>
        <translation>Doublons différents de la copie stockée :</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Rejected files and reasons:</source>
        <translation>Fichiers rejetés et motifs :</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+12"/>
        <source>Skipped files (not DICOM):</source>
        <translation>Fichiers ignorés (pas DICOM) :</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="-305"/>
        <source>Unlock</source>
        <extracomment>sig_idle(): no input came for the timeout; emitted once per idle period. sig_unlock_requested(str): the password typed to unlock. sig_switch_user_requested(str, str): an administrator&apos;s name and password.</extracomment>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Close session and switch user</source>
        <translation>Fermer la session et changer d&apos;utilisateur</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The workstation is locked</source>
        <translation>La station est verrouillée</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Locked for {user}. Type the password to continue.</source>
        <translation>Verrouillé pour {user}. Saisissez le mot de passe pour continuer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Administrator: switch user</source>
        <translation>Administrateur : changer d&apos;utilisateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Administrator:</source>
        <translation>Administrateur :</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Enter the administrator&apos;s user name.</source>
        <translation>Saisissez le nom d&apos;utilisateur de l&apos;administrateur.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/login.py" line="+73"/>
        <source>User name:</source>
        <translation>Nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - create administrator</source>
        <translation>PACS Desktop - créer l&apos;administrateur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No user account exists yet. Choose the name and password of the administrator account; it can add the other users.</source>
        <translation>Aucun compte utilisateur n&apos;existe encore. Choisissez le nom et le mot de passe du compte administrateur ; il pourra ajouter les autres utilisateurs.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Repeat password:</source>
        <translation>Répéter le mot de passe :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - log in</source>
        <translation>PACS Desktop - connexion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to open the workstation.</source>
        <translation>Connectez-vous pour ouvrir la station.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Enter a user name.</source>
        <translation>Saisissez un nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Les deux mots de passe diffèrent. Saisissez-les à nouveau.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The account was not created: {reason}</source>
        <translation>Le compte n&apos;a pas été créé : {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Login failed: {reason}</source>
        <translation>Échec de la connexion : {reason}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../pacs_desktop/ui/main_window.py" line="+109"/>
        <location line="+269"/>
        <source>PACS Desktop</source>
        <extracomment>sig_import_finished(object): the ImportSummary of a finished import. sig_study_opened(object): the StudyRecord now shown in the viewer, or None once the study is closed.</extracomment>
        <translation>PACS Desktop</translation>
    </message>
    <message>
        <location line="-254"/>
        <source>Logged in as {user}</source>
        <translation>Connecté en tant que {user}</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Import &amp;files...</source>
        <translation>Importer des &amp;fichiers...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import f&amp;older...</source>
        <translation>Importer un &amp;dossier...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open study</source>
        <translation>&amp;Ouvrir l&apos;examen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Close study</source>
        <translation>&amp;Fermer l&apos;examen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Find studies</source>
        <translation>&amp;Rechercher des examens</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Log out</source>
        <translation>&amp;Se déconnecter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Study</source>
        <translation>&amp;Examen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Main</source>
        <translation>Principale</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Import DICOM files</source>
        <translation>Importer des fichiers DICOM</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import a folder of DICOM files</source>
        <translation>Importer un dossier de fichiers DICOM</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Import running</source>
        <translation>Import en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait for the running import to finish, or cancel it.</source>
        <translation>Attendez la fin de l&apos;import en cours ou annulez-le.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>PACS Desktop - importing</source>
        <translation>PACS Desktop - import en cours</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Importing</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Looking for DICOM files...</source>
        <translation>Recherche des fichiers DICOM...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing: {done} files</source>
        <translation>Import : {done} fichiers</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Importing file {done} of {total}</source>
        <translation>Import du fichier {done} sur {total}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Importing file {done}</source>
        <translation>Import du fichier {done}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling...</source>
        <translation>Annulation...</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Import finished: {imported} imported, {rejected} rejected</source>
        <translation>Import terminé : {imported} importés, {rejected} rejetés</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Import failed</source>
        <translation>Échec de l&apos;import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The import stopped: {reason}</source>
        <translation>L&apos;import s&apos;est arrêté : {reason}</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Not allowed</source>
        <translation>Non autorisé</translation>
    </message>
</context>
<context>
    <name>NetworkService</name>
    <message>
        <location filename="../pacs_desktop/ui/network/service.py" line="+380"/>
        <source>The storage SCP is not running: no PACS node and no sending AE title is configured.</source>
        <extracomment>sig_echo_finished(str, bool, str): node name, success, and a message (the round trip, or the reason of the failure in plain words). sig_studies_found(int, list): request number and its RemoteStudy list. sig_search_failed(int, str): request number and the reason. sig_series_found(str, list): study UID and its SeriesRecord list. sig_series_failed(str, str): study UID and the reason. sig_jobs_changed(list): every SyncJob of the queue, oldest first. sig_job_progress(JobProgressReport): progress of a running job. sig_job_finished(SyncJob): a job ended an attempt. sig_job_queued(str): a retrieve or send requested here was queued; the job kind, ``&quot;retrieve&quot;`` or ``&quot;send&quot;``. sig_error(str): a queue change failed; the reason in plain words. sig_instance_received(str): the storage SCP stored an instance of this study UID. sig_scp_state(bool, str): whether the storage SCP listens, and why not. The local archive&apos;s record of each job&apos;s study, by Study Instance UID, read with the job list that `sig_jobs_changed` delivered last.</extracomment>
        <translation>Le SCP de stockage ne fonctionne pas : aucun nœud PACS ni aucun titre AE émetteur n&apos;est configuré.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The storage SCP is not running, so this workstation receives no images: {reason}</source>
        <translation>Le SCP de stockage ne fonctionne pas ; cette station ne reçoit donc aucune image : {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Storage SCP {ae_title} listening on port {port}</source>
        <translation>SCP de stockage {ae_title} à l&apos;écoute sur le port {port}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Storage SCP {ae_title} listening on port {port}; it restarts with the new settings when the running jobs end</source>
        <translation>SCP de stockage {ae_title} à l&apos;écoute sur le port {port} ; il redémarre avec les nouveaux paramètres à la fin des tâches en cours</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>C-ECHO succeeded in {ms:.0f} ms</source>
        <translation>C-ECHO réussi en {ms:.0f} ms</translation>
    </message>
</context>
<context>
    <name>NetworkUi</name>
    <message>
        <location filename="../pacs_desktop/ui/network/integration.py" line="+215"/>
        <source>S&amp;ource:</source>
        <translation>S&amp;ource :</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send &amp;to</source>
        <translation>Envoyer &amp;vers</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send the selected study, or its selected series, to a PACS</source>
        <translation>Envoyer l&apos;examen sélectionné, ou ses séries sélectionnées, vers un PACS</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Local archive</source>
        <translation>Archive locale</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PACS {name} ({ae_title})</source>
        <translation>PACS {name} ({ae_title})</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>&amp;Network</source>
        <translation>&amp;Réseau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Sync queue</source>
        <translation>File de &amp;synchronisation</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Restart storage SCP</source>
        <translation>&amp;Redémarrer le SCP de stockage</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Select a study to send.</source>
        <translation>Sélectionnez un examen à envoyer.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Send to {node} queued.</source>
        <translation>Envoi vers {node} mis en file.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Job {id} done: {description}</source>
        <translation>Tâche {id} terminée : {description}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Job {id} {state}: {description}</source>
        <translation>Tâche {id} {state} : {description}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A stored image failed its integrity check: retrieve job {id} fetches a new copy from {node}.</source>
        <translation>Une image stockée a échoué au contrôle d&apos;intégrité : la tâche de récupération {id} rapatrie une nouvelle copie depuis {node}.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Storage SCP not running</source>
        <translation>SCP de stockage arrêté</translation>
    </message>
</context>
<context>
    <name>NodePage</name>
    <message>
        <location filename="../pacs_desktop/ui/network/node_page.py" line="+96"/>
        <source>Name</source>
        <extracomment>sig_nodes_changed(): the stored PACS nodes changed. sig_nodes_changed(): a node was added, updated or removed here.</extracomment>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title</source>
        <translation>Titre AE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with</source>
        <translation>Récupérer avec</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Add node</source>
        <translation>&amp;Ajouter le nœud</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Update node</source>
        <translation>&amp;Mettre à jour le nœud</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store the form over the selected node</source>
        <translation>Remplacer le nœud sélectionné par le contenu du formulaire</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove node</source>
        <translation>&amp;Supprimer le nœud</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title:</source>
        <translation>Titre AE :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host:</source>
        <translation>Hôte :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with:</source>
        <translation>Récupérer avec :</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add; Update node keeps them. Node changes are stored at once.</source>
        <translation>Les certificats TLS et les phrases secrètes des clés se définissent avec la commande pacs-desktop node add ; Mettre à jour le nœud les conserve. Les modifications des nœuds sont enregistrées immédiatement.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>C-GET, else C-MOVE</source>
        <translation>C-GET, sinon C-MOVE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C-GET</source>
        <translation>C-GET</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C-MOVE</source>
        <translation>C-MOVE</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Set by the site profile</source>
        <translation>Défini par le profil du site</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Node not read</source>
        <translation>Nœud non lu</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Node not added</source>
        <translation>Nœud non ajouté</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Node not updated</source>
        <translation>Nœud non mis à jour</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Node not removed</source>
        <translation>Nœud non supprimé</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Correct these fields and try again:</source>
        <translation>Corrigez ces champs et réessayez :</translation>
    </message>
</context>
<context>
    <name>OverlayTexts</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/overlays.py" line="+385"/>
        <source>Series {series}</source>
        <translation>Série {series}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image {number} / {count}</source>
        <translation>Image {number} / {count}</translation>
    </message>
    <message>
        <source>Position {mm:.1f} mm</source>
        <translation type="vanished">Position {mm:.1f} mm</translation>
    </message>
    <message>
        <source>Thickness {mm:.1f} mm</source>
        <translation type="vanished">Épaisseur {mm:.1f} mm</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Position {mm} mm</source>
        <translation>Position {mm} mm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thickness {mm} mm</source>
        <translation>Épaisseur {mm} mm</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>C {center:.0f} W {width:.0f}</source>
        <translation>C {center:.0f} L {width:.0f}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>VOI LUT</source>
        <translation>LUT VOI</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom {percent:.0f} %</source>
        <translation>Zoom {percent:.0f} %</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This series contains no images.</source>
        <translation>Cette série ne contient aucune image.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No image of this series can be shown.</source>
        <translation>Aucune image de cette série ne peut être affichée.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gap or uneven slice spacing after image {numbers}.</source>
        <translation>Écart ou espacement irrégulier des coupes après l&apos;image {numbers}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Uneven slice spacing in this series.</source>
        <translation>Espacement irrégulier des coupes dans cette série.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n file(s) of this series cannot be read.</source>
        <translation>
            <numerusform>%n fichier de cette série ne peut pas être lu.</numerusform>
            <numerusform>%n fichiers de cette série ne peuvent pas être lus.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="-76"/>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat password:</source>
        <translation>Répéter le mot de passe :</translation>
    </message>
</context>
<context>
    <name>PatientBanner</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/banner.py" line="+53"/>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID: {patient_id}</source>
        <translation>ID : {patient_id}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Born: {birth_date}</source>
        <translation>Né(e) le : {birth_date}</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/player_widget.py" line="+80"/>
        <location line="+185"/>
        <source>Play</source>
        <extracomment>sig_loaded(object): the Player created for a file loaded by `load_file`. sig_error(str): a message about audio that failed to load or play.</extracomment>
        <translation>Lecture</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Stop</source>
        <translation>Arrêt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back 3 s</source>
        <translation>Reculer de 3 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward 3 s</source>
        <translation>Avancer de 3 s</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Loading the dictation...</source>
        <translation>Chargement de la dictée...</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Speed changes the pitch: no pitch-preserving time-stretching library is installed.</source>
        <translation>La vitesse modifie la hauteur du son : aucune bibliothèque d&apos;étirement temporel préservant la hauteur n&apos;est installée.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
</context>
<context>
    <name>RecorderPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/recorder_panel.py" line="+139"/>
        <location line="+162"/>
        <source>No study open</source>
        <extracomment>sig_recording_started(object): the Dictation just bound and recording. sig_recording_finished(object): the Dictation after recording ended. sig_error(str): a message the user must see (no device, full disk ...). sig_switch_asked(object): the dialog asking what to do after a study switch. The study the running or paused recording is bound to.</extracomment>
        <translation>Aucun examen ouvert</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Routine</source>
        <translation>Routine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgent</source>
        <translation>Urgent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>STAT</source>
        <translation>Urgence vitale (STAT)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+422"/>
        <source>Record</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="-421"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Arrêt</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Append at the end</source>
        <translation>Ajouter à la fin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert at position</source>
        <translation>Insérer à la position</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite from position</source>
        <translation>Écraser à partir de la position</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Insert and overwrite apply to a paused recording. Pause, choose the mode and position, then press Continue recording.</source>
        <translation>L&apos;insertion et l&apos;écrasement s&apos;appliquent à un enregistrement en pause. Mettez en pause, choisissez le mode et la position, puis appuyez sur Reprendre l&apos;enregistrement.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Microphone</source>
        <translation>Microphone</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>System default</source>
        <translation>Valeur par défaut du système</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (default)</source>
        <translation> (par défaut)</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Study: {name}, {accession}</source>
        <translation>Examen : {name}, {accession}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Study: {name}</source>
        <translation>Examen : {name}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This recording belongs to {name} (ID {patient_id}), study of {date} {description}, accession {accession}, not to the study on screen.</source>
        <translation>Cet enregistrement appartient à {name} (ID {patient_id}), examen du {date} {description}, n° d&apos;accession {accession}, et non à l&apos;examen affiché.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Recording paused</source>
        <translation>Enregistrement en pause</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The study was closed while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>L&apos;examen a été fermé pendant que vous dictiez. L&apos;enregistrement est en pause et reste rattaché à l&apos;examen sur lequel il a commencé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another study was opened while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>Un autre examen a été ouvert pendant que vous dictiez. L&apos;enregistrement est en pause et reste rattaché à l&apos;examen sur lequel il a commencé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Continue on the original study</source>
        <translation>Continuer sur l&apos;examen d&apos;origine</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop recording</source>
        <translation>Arrêter l&apos;enregistrement</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Open a study before recording.</source>
        <translation>Ouvrez un examen avant d&apos;enregistrer.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Recording paused because the screen was locked. Press Continue recording to go on.</source>
        <translation>Enregistrement mis en pause car l&apos;écran a été verrouillé. Appuyez sur Reprendre l&apos;enregistrement pour continuer.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The maximum dictation length was reached.</source>
        <translation>La durée maximale de la dictée est atteinte.</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Continue recording</source>
        <translation>Reprendre l&apos;enregistrement</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/recovery_dialog.py" line="+61"/>
        <source>Recovered recordings</source>
        <extracomment>sig_kept(object): the Dictation just kept, now a finished recording. sig_discarded(object): the Dictation just discarded.</extracomment>
        <translation>Enregistrements récupérés</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep for transcription</source>
        <translation>Conserver pour la transcription</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide later</source>
        <translation>Décider plus tard</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>These recordings were interrupted (a crash or a power cut) and were recovered. Each stays attached to its study.</source>
        <translation>Ces enregistrements ont été interrompus (plantage ou coupure de courant) puis récupérés. Chacun reste rattaché à son examen.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{started}: {length}, patient {name} (ID {patient_id}), study of {date} {description}, accession {accession}</source>
        <translation>{started} : {length}, patient {name} (ID {patient_id}), examen du {date} {description}, n° d&apos;accession {accession}</translation>
    </message>
    <message>
        <source>{started}: {length}, accession {accession}</source>
        <translation type="vanished">{started} : {length}, accession {accession}</translation>
    </message>
</context>
<context>
    <name>RemoteBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/network/remote_browser.py" line="+119"/>
        <source>&amp;Search</source>
        <extracomment>sig_studies_shown(int): a search finished and shows this many studies. sig_series_shown(int): the series list of the current study is filled. sig_open_requested(StudyRecord): open this study, which is fully local.</extracomment>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Retrieve study</source>
        <translation>&amp;Récupérer l&apos;examen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retrieve selected s&amp;eries</source>
        <translation>Récupérer les s&amp;éries sélectionnées</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open local copy</source>
        <translation>&amp;Ouvrir la copie locale</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Series on the PACS</source>
        <translation>Séries sur le PACS</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Press Enter or Search to query {node}.</source>
        <translation>Appuyez sur Entrée ou Rechercher pour interroger {node}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Searching {node}...</source>
        <translation>Recherche sur {node}...</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n study(s) found on {node}</source>
        <translation>
            <numerusform>%n examen trouvé sur {node}</numerusform>
            <numerusform>%n examens trouvés sur {node}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+68"/>
        <source>{number}{modality} {description} (%n image(s))</source>
        <translation>
            <numerusform>{number}{modality} {description} (%n image)</numerusform>
            <numerusform>{number}{modality} {description} (%n images)</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} studies found on {node}</source>
        <translation type="vanished">{count} examens trouvés sur {node}</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Search failed: {reason}</source>
        <translation>Échec de la recherche : {reason}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Loading series...</source>
        <translation>Chargement des séries...</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Series not listed: {reason}</source>
        <translation>Séries non listées : {reason}</translation>
    </message>
    <message>
        <source>{number}{modality} {description} ({count} images)</source>
        <translation type="vanished">{number}{modality} {description} ({count} images)</translation>
    </message>
    <message>
        <location line="+37"/>
        <location line="+11"/>
        <source>Retrieve queued; the sync panel shows its progress.</source>
        <translation>Récupération mise en file ; le panneau de synchronisation affiche sa progression.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This study is not in the local archive; retrieve it first.</source>
        <translation>Cet examen n&apos;est pas dans l&apos;archive locale ; récupérez-le d&apos;abord.</translation>
    </message>
</context>
<context>
    <name>RemoteStudyModel</name>
    <message>
        <location line="-264"/>
        <source>{total} ({local} local)</source>
        <translation>{total} ({local} en local)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{local} of {total} instances are in the local archive</source>
        <translation>{local} instances sur {total} sont dans l&apos;archive locale</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not in the local archive</source>
        <translation>Absent de l&apos;archive locale</translation>
    </message>
</context>
<context>
    <name>ReportEditor</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/report_editor.py" line="+137"/>
        <source>Patient</source>
        <extracomment>sig_signed(object): the Report version just signed. sig_changed(object): the Report after a save or a state change.</extracomment>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality</source>
        <translation>Modalité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>N° d&apos;accession</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark transcribed</source>
        <translation>Marquer comme transcrit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark corrected</source>
        <translation>Marquer comme corrigé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign...</source>
        <translation>Signer...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amend</source>
        <translation>Amender</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>You may no longer change this text.</source>
        <translation>Vous ne pouvez plus modifier ce texte.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This dictation is no longer claimed by you; claim it again to type.</source>
        <translation>Cette dictée n&apos;est plus prise en charge par vous ; prenez-la de nouveau en charge pour saisir le texte.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{user} is transcribing this dictation now; only that user can change its text.</source>
        <translation>{user} transcrit cette dictée en ce moment ; seul cet utilisateur peut en modifier le texte.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{state}, version {version}</source>
        <translation>{state}, version {version}</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Signed.</source>
        <translation>Signé.</translation>
    </message>
    <message>
        <location line="-246"/>
        <location line="+131"/>
        <source>Open a dictation to type its report</source>
        <translation>Ouvrez une dictée pour saisir son compte rendu</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+97"/>
        <source>Reset the password of {name}</source>
        <translation>Réinitialiser le mot de passe de {name}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Les deux mots de passe diffèrent. Saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>RestrictionActions</name>
    <message>
        <location filename="../pacs_desktop/ui/security/restriction_actions.py" line="+54"/>
        <source>&amp;Restrict study...</source>
        <translation>&amp;Restreindre l&apos;examen...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lift restriction</source>
        <translation>&amp;Lever la restriction</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Restrict study</source>
        <translation>Restreindre l&apos;examen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only a radiologist who states a reason for emergency access will open this study. Why is it restricted (for example: staff member, VIP)?</source>
        <translation>Seul un radiologue qui indique le motif d&apos;un accès d&apos;urgence pourra ouvrir cet examen. Pourquoi est-il restreint (par exemple : membre du personnel, VIP) ?</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Study restriction not changed</source>
        <translation>Restriction de l&apos;examen non modifiée</translation>
    </message>
</context>
<context>
    <name>SecurityControls</name>
    <message>
        <location filename="../pacs_desktop/ui/security/controls.py" line="+153"/>
        <source>&amp;Users...</source>
        <translation>&amp;Utilisateurs...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Audit trail...</source>
        <translation>Journal d&apos;&amp;audit...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Lock screen</source>
        <translation>&amp;Verrouiller l&apos;écran</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Se&amp;curity</source>
        <translation>Sé&amp;curité</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Not allowed</source>
        <translation>Non autorisé</translation>
    </message>
</context>
<context>
    <name>SeriesList</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/series_list.py" line="+72"/>
        <source>This series contains no images.</source>
        <extracomment>sig_series_selected(str): key of the series the user chose.</extracomment>
        <translation>Cette série ne contient aucune image.</translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waveform</source>
        <translation>Tracé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report</source>
        <translation>Compte rendu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key images</source>
        <translation>Images clés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presentation state</source>
        <translation>État de présentation</translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/series_panel.py" line="+56"/>
        <source>Series</source>
        <extracomment>sig_thumbnails_done(int): the number of thumbnails of the current study that are finished (drawn or failed).</extracomment>
        <translation>Série</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{number}{modality} {description}
{count} images</source>
        <translation>{number}{modality} {description}
{count} images</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No preview: {reason}</source>
        <translation>Pas d&apos;aperçu : {reason}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/settings_dialog.py" line="+101"/>
        <source>Settings</source>
        <extracomment>sig_applied(list): the setting keys whose values were stored.</extracomment>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PACS nodes</source>
        <translation>Nœuds PACS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage SCP</source>
        <translation>SCP de stockage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local archive</source>
        <translation>Archive locale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display</source>
        <translation>Affichage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dictation</source>
        <translation>Dictée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security</source>
        <translation>Sécurité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation type="vanished">Titre AE</translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="vanished">Hôte</translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="vanished">Port</translation>
    </message>
    <message>
        <source>Retrieve</source>
        <translation type="vanished">Récupération</translation>
    </message>
    <message>
        <source>C-GET, else C-MOVE</source>
        <translation type="vanished">C-GET, sinon C-MOVE</translation>
    </message>
    <message>
        <source>C-GET</source>
        <translation type="vanished">C-GET</translation>
    </message>
    <message>
        <source>C-MOVE</source>
        <translation type="vanished">C-MOVE</translation>
    </message>
    <message>
        <source>&amp;Add node</source>
        <translation type="vanished">&amp;Ajouter le nœud</translation>
    </message>
    <message>
        <source>&amp;Remove node</source>
        <translation type="vanished">&amp;Supprimer le nœud</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="vanished">Nom :</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>AE title:</source>
        <translation>Titre AE :</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="vanished">Hôte :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <source>Retrieve with:</source>
        <translation type="vanished">Récupérer avec :</translation>
    </message>
    <message>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add. Node changes are stored at once.</source>
        <translation type="vanished">Les certificats TLS et les phrases secrètes des clés se définissent avec la commande pacs-desktop node add. Les modifications des nœuds sont enregistrées immédiatement.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CT1, MR_2 ...</source>
        <translation>CT1, MR_2 ...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also accept images from:</source>
        <translation>Accepter aussi les images de :</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The data directory</source>
        <translation>Le répertoire des données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Parcourir...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> GB</source>
        <translation> Go</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No limit</source>
        <translation>Sans limite</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Oldest study date first</source>
        <translation>Examen le plus ancien d&apos;abord</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least recently opened first</source>
        <translation>Le moins récemment ouvert d&apos;abord</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest study first</source>
        <translation>Examen le plus volumineux d&apos;abord</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Location:</source>
        <translation>Emplacement :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size limit:</source>
        <translation>Taille maximale :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When full, remove:</source>
        <translation>Si plein, supprimer :</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All modalities</source>
        <translation>Toutes les modalités</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One image</source>
        <translation>Une image</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two side by side</source>
        <translation>Deux côte à côte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two stacked</source>
        <translation>Deux superposées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four (2 x 2)</source>
        <translation>Quatre (2 x 2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dark (reading room)</source>
        <translation>Sombre (salle de lecture)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Modalities read here:</source>
        <translation>Modalités lues ici :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default layout:</source>
        <translation>Disposition par défaut :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme:</source>
        <translation>Thème :</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Window presets per modality:</source>
        <translation>Préréglages de fenêtre par modalité :</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Modality</source>
        <translation>Modalité</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Centre</source>
        <translation>Centre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Width</source>
        <translation>Largeur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;preset</source>
        <translation>Ajouter un &amp;préréglage</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove preset</source>
        <translation>Supprimer le préréglage</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>System default</source>
        <translation>Valeur par défaut du système</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Microphone:</source>
        <translation>Microphone :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record / pause:</source>
        <translation>Enregistrer / pause :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause:</source>
        <translation>Lecture / pause :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop:</source>
        <translation>Arrêt :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind:</source>
        <translation>Retour rapide :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward:</source>
        <translation>Avance rapide :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maximum length:</source>
        <translation>Durée maximale :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send dictations and reports to PACS node:</source>
        <translation>Envoyer les dictées et les comptes rendus au nœud PACS :</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(none: keep in the local archive)</source>
        <translation>(aucun : conserver dans l&apos;archive locale)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} (no such PACS node)</source>
        <translation>{name} (nœud PACS inexistant)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Dictations and reports are set to be sent to the PACS node {name}, which does not exist.

Choose a configured node, add {name} on the PACS nodes page, or choose to keep them in the local archive.</source>
        <translation>Les dictées et les comptes rendus doivent être envoyés au nœud PACS {name}, qui n&apos;existe pas.

Choisissez un nœud configuré, ajoutez {name} dans la page Nœuds PACS ou choisissez de les conserver dans l&apos;archive locale.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lock the screen after:</source>
        <translation>Verrouiller l&apos;écran après :</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Failed logins before lockout:</source>
        <translation>Échecs de connexion avant verrouillage :</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Until an administrator unlocks</source>
        <translation>Jusqu&apos;au déverrouillage par un administrateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lockout duration:</source>
        <translation>Durée du verrouillage :</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minimum password length:</source>
        <translation>Longueur minimale du mot de passe :</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> characters</source>
        <translation> caractères</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new language applies when PACS Desktop starts next.</source>
        <translation>Une nouvelle langue s&apos;applique au prochain démarrage de PACS Desktop.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language:</source>
        <translation>Langue :</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Set by the site profile {name}</source>
        <translation>Défini par le profil du site {name}</translation>
    </message>
    <message>
        <location line="-69"/>
        <location line="+223"/>
        <source>Invalid setting</source>
        <translation>Paramètre non valide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason}

Correct the value and try again.</source>
        <translation>{reason}

Corrigez la valeur et réessayez.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Local archive folder</source>
        <translation>Dossier de l&apos;archive locale</translation>
    </message>
    <message>
        <source>Set by the site profile</source>
        <translation type="vanished">Défini par le profil du site</translation>
    </message>
    <message>
        <source>Node not added</source>
        <translation type="vanished">Nœud non ajouté</translation>
    </message>
    <message>
        <source>Node not removed</source>
        <translation type="vanished">Nœud non supprimé</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-336"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Main window</source>
        <translation>Fenêtre principale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image viewer</source>
        <translation>Visionneuse d&apos;images</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/report_editor.py" line="-211"/>
        <source>Sign the report</source>
        <translation>Signer le compte rendu</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sign</source>
        <translation>Signer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type your password to sign. Signing is final.</source>
        <translation>Saisissez votre mot de passe pour signer. La signature est définitive.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Wrong password; nothing was signed.</source>
        <translation>Mot de passe erroné ; rien n&apos;a été signé.</translation>
    </message>
</context>
<context>
    <name>StudyAccessGate</name>
    <message>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist or an administrator.</source>
        <translation type="vanished">Cet examen est restreint et votre rôle n&apos;a pas d&apos;accès d&apos;urgence. Adressez-vous à un radiologue ou à un administrateur.</translation>
    </message>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+114"/>
        <source>Not allowed</source>
        <translation>Non autorisé</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>This study is restricted. To open it, lift the restriction: right-click the study in the study list and choose Lift restriction.</source>
        <translation>Cet examen est restreint. Pour l&apos;ouvrir, levez la restriction : cliquez avec le bouton droit sur l&apos;examen dans la liste des examens et choisissez Lever la restriction.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist to open it with emergency access, or an administrator to lift the restriction.</source>
        <translation>Cet examen est restreint et votre rôle n&apos;a pas d&apos;accès d&apos;urgence. Demandez à un radiologue de l&apos;ouvrir avec l&apos;accès d&apos;urgence, ou à un administrateur de lever la restriction.</translation>
    </message>
</context>
<context>
    <name>StudyBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/browser_widget.py" line="+176"/>
        <source>&amp;Refresh study list</source>
        <extracomment>sig_open_requested(): the user pressed Enter or double-clicked a row. sig_open_requested(StudyRecord): the user asked to open this study. sig_studies_shown(int): the table was refilled; the number of studies loaded (the first page, or every match when the sort needs them all).</extracomment>
        <translation>&amp;Actualiser la liste des examens</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+6"/>
        <source>No search: {reason}</source>
        <translation>Pas de recherche : {reason}</translation>
    </message>
</context>
<context>
    <name>StudyDictationsPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/study_dictations.py" line="+118"/>
        <source>No signed report</source>
        <extracomment>sig_listed(object): the StudyDictations now shown. sig_audio_loaded(object): the Player of the selected dictation. sig_dictation_opened(object): the Dictation whose audio is being loaded for playback. sig_report_signed(object): the amended Report version just signed, to be archived and sent like any signed report.</extracomment>
        <translation>Aucun compte rendu signé</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+134"/>
        <source>Amend report</source>
        <translation>Amender le compte rendu</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Dictations of this study</source>
        <translation>Dictées de cet examen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signed report</source>
        <translation>Compte rendu signé</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>{author}, {started}, {length}, {state}</source>
        <translation>{author}, {started}, {length}, {state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown author</source>
        <translation>auteur inconnu</translation>
    </message>
</context>
<context>
    <name>StudyTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/study_model.py" line="+63"/>
        <source>Patient name</source>
        <translation>Nom du patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date</source>
        <translation>Date de naissance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date</source>
        <translation>Date de l&apos;examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modalities</source>
        <translation>Modalités</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>N° d&apos;accession</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Series</source>
        <translation>Séries</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>Images</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/network/sync_panel.py" line="+249"/>
        <source>{name} ({patient_id})</source>
        <translation>{name} ({patient_id})</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>{count} series</source>
        <translation>{count} séries</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Sync queue</source>
        <extracomment>sig_jobs_shown(int): the table was refilled with this many jobs.</extracomment>
        <translation>File de synchronisation</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ca&amp;ncel job</source>
        <translation>A&amp;nnuler la tâche</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Job</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study or series</source>
        <translation>Examen ou série</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Storage commitment</source>
        <translation type="vanished">Engagement de stockage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commitment</source>
        <translation>Engagement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instances</source>
        <translation>Instances</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MB/s</source>
        <translation>Mo/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next attempt</source>
        <translation>Prochaine tentative</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Dernière erreur</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Storage commitment: whether the PACS confirmed that it keeps the instances sent</source>
        <translation>Engagement de stockage : indique si le PACS a confirmé qu&apos;il conserve les instances envoyées</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Retrieve</source>
        <translation>Récupération</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{attempts} of {limit}</source>
        <translation>{attempts} sur {limit}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>committed</source>
        <translation>confirmé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not supported</source>
        <translation>non pris en charge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no report</source>
        <translation>aucun rapport</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed for {count} instances</source>
        <translation>échec pour {count} instances</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{done} of {total}</source>
        <translation>{done} sur {total}</translation>
    </message>
</context>
<context>
    <name>TranscriptionWindow</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="-248"/>
        <source>Transcription worklist</source>
        <translation>Liste de transcription</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The report is signed.</source>
        <translation>Le compte rendu est signé.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The study of this dictation is not in the local archive.</source>
        <translation>L&apos;examen de cette dictée n&apos;est pas dans l&apos;archive locale.</translation>
    </message>
</context>
<context>
    <name>UserManagementDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+30"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Locked</source>
        <translation>Verrouillé</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add user...</source>
        <translation>Ajouter un utilisateur...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable</source>
        <translation>Activer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>Déverrouiller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset password...</source>
        <translation>Réinitialiser le mot de passe...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set role</source>
        <translation>Définir le rôle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New role:</source>
        <translation>Nouveau rôle :</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>until {time}</source>
        <translation>jusqu&apos;à {time}</translation>
    </message>
</context>
<context>
    <name>ViewerKeyNames</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-49"/>
        <source>Wheel</source>
        <translation>Molette</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Right drag</source>
        <translation>Glisser avec le bouton droit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Left or middle drag</source>
        <translation>Glisser avec le bouton gauche ou central</translation>
    </message>
</context>
<context>
    <name>ViewerShortcuts</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/shortcuts.py" line="+135"/>
        <source>Next / previous image</source>
        <translation>Image suivante / précédente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous / next image</source>
        <translation>Image précédente / suivante</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>10 images back / forward</source>
        <translation>10 images en arrière / en avant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>First / last image</source>
        <translation>Première / dernière image</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window: horizontal is width, vertical is centre</source>
        <translation>Fenêtre : l&apos;horizontale règle la largeur, la verticale le centre</translation>
    </message>
    <message>
        <source>CT window presets</source>
        <translation type="vanished">Préréglages de fenêtre CT</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Window presets of the series&apos; modality</source>
        <translation>Préréglages de fenêtre de la modalité de la série</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file&apos;s own window</source>
        <translation>La fenêtre du fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in / out</source>
        <translation>Zoom avant / arrière</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pan</source>
        <translation>Déplacer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit to the window</source>
        <translation>Ajuster à la fenêtre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actual size (1:1)</source>
        <translation>Taille réelle (1:1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invert</source>
        <translation>Inverser</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rotate 90 degrees clockwise</source>
        <translation>Pivoter de 90 degrés dans le sens horaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flip horizontally / vertically</source>
        <translation>Retourner horizontalement / verticalement</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset view: fit, no rotation, flip or inversion, the file&apos;s window</source>
        <translation>Réinitialiser la vue : ajustée, sans rotation, retournement ni inversion, avec la fenêtre du fichier</translation>
    </message>
</context>
<context>
    <name>ViewerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/viewer_widget.py" line="+231"/>
        <source>This study contains no images.</source>
        <extracomment>sig_frame_changed(int): display index (from 0) of the image now shown. sig_window_changed(float, float): centre and width of the window now applied, in modality units. sig_series_loaded(int): number of images of the series just read. sig_message(str): a notice shown over the image for a few seconds, such as why a preset key did nothing, for a status bar to repeat.</extracomment>
        <translation>Cet examen ne contient aucune image.</translation>
    </message>
    <message>
        <location line="+237"/>
        <source>The series cannot be read: {reason}</source>
        <translation>La série ne peut pas être lue : {reason}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Image {number} cannot be shown: {reason}</source>
        <translation>L&apos;image {number} ne peut pas être affichée : {reason}</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Inverted</source>
        <translation>Inversé</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>No window preset on key {key} for {modality}.</source>
        <translation>Aucun préréglage de fenêtre sur la touche {key} pour {modality}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for {modality}; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>Aucun préréglage de fenêtre pour {modality} ; ils se définissent dans Outils &gt; Paramètres &gt; Affichage.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for this series; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>Aucun préréglage de fenêtre pour cette série ; ils se définissent dans Outils &gt; Paramètres &gt; Affichage.</translation>
    </message>
</context>
<context>
    <name>WindowPresets</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/presets.py" line="+21"/>
        <source>Brain</source>
        <translation>Cerveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subdural</source>
        <translation>Sous-dural</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stroke</source>
        <translation>AVC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lung</source>
        <translation>Poumon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediastinum</source>
        <translation>Médiastin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abdomen</source>
        <translation>Abdomen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Liver</source>
        <translation>Foie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bone</source>
        <translation>Os</translation>
    </message>
</context>
<context>
    <name>WorklistWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/worklist.py" line="+61"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Examen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked by</source>
        <translation>Verrouillé par</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded</source>
        <translation>Enregistré le</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Author</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last change</source>
        <translation>Dernière modification</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Claim</source>
        <extracomment>sig_open_requested(object): the Dictation the user wants to work on. sig_changed(object): a Dictation after a claim or release by this widget. sig_selection_changed(object): the selected Dictation, or None when no row is selected; also emitted when a refresh changed the selected row. Asks whether to release another user&apos;s claim; tests replace it.</extracomment>
        <translation>Prendre en charge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Release</source>
        <translation>Libérer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>Release another user&apos;s claim</source>
        <translation>Libérer la prise en charge d&apos;un autre utilisateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{user} is transcribing this dictation. Release the claim so that someone else can transcribe it? Text typed so far stays in the report.</source>
        <translation>{user} transcrit cette dictée. Libérer la prise en charge pour qu&apos;une autre personne puisse la transcrire ? Le texte déjà saisi reste dans le compte rendu.</translation>
    </message>
</context>
<context>
    <name>run_gui</name>
    <message>
        <location filename="../pacs_desktop/ui/application.py" line="+199"/>
        <source>PACS Desktop cannot start</source>
        <translation>PACS Desktop ne peut pas démarrer</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>The data directory {path} cannot be opened: {reason}</source>
        <translation>Le répertoire des données {path} ne peut pas être ouvert : {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The settings cannot be applied: {reason}

Correct the site profile or the settings file, then start PACS Desktop again.</source>
        <translation>Les paramètres ne peuvent pas être appliqués : {reason}

Corrigez le profil du site ou le fichier de paramètres, puis redémarrez PACS Desktop.</translation>
    </message>
</context>
</TS>
