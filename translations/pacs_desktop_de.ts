<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+259"/>
        <source>About PACS Desktop</source>
        <translation>Über PACS Desktop</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Radiology workstation: local DICOM archive, image viewer, PACS query and retrieve, and dictation.</source>
        <translation>Radiologie-Arbeitsplatz: lokales DICOM-Archiv, Bildbetrachter, PACS-Abfrage und -Abruf sowie Diktat.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence:</source>
        <translation>Lizenz:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder:</source>
        <translation>Datenordner:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log folder:</source>
        <translation>Protokollordner:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs on:</source>
        <translation>Läuft auf:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Components and their licences:</source>
        <translation>Komponenten und ihre Lizenzen:</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+125"/>
        <source>Add user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>User name:</source>
        <translation>Benutzername:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role:</source>
        <translation>Rolle:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter a user name.</source>
        <translation>Geben Sie einen Benutzernamen ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Die beiden Passwörter unterscheiden sich. Geben Sie sie erneut ein.</translation>
    </message>
</context>
<context>
    <name>ArchiveActions</name>
    <message>
        <location filename="../pacs_desktop/ui/archive_actions.py" line="+77"/>
        <source>&amp;Delete from local archive...</source>
        <extracomment>sig_deleted(object): the RemovedStudy of a finished deletion.</extracomment>
        <translation>Aus dem lokalen Archiv &amp;löschen...</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Delete from local archive</source>
        <translation>Aus dem lokalen Archiv löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the images of this study from the local archive?</source>
        <translation>Die Bilder dieser Studie aus dem lokalen Archiv löschen?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Patient: {name}
Patient ID: {patient_id}
Instances: {count}

Dictations and reports of the study are kept, and copies on the PACS are not touched.</source>
        <translation>Patient: {name}
Patienten-ID: {patient_id}
Instanzen: {count}

Diktate und Befunde der Studie bleiben erhalten, Kopien im PACS bleiben unberührt.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Deleted {count} instances from the local archive</source>
        <translation>{count} Instanzen aus dem lokalen Archiv gelöscht</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Study not deleted</source>
        <translation>Studie nicht gelöscht</translation>
    </message>
</context>
<context>
    <name>ArchiveUpkeep</name>
    <message>
        <location line="+98"/>
        <source>Local archive over its size limit: {evicted} studies evicted, {kept} kept because no PACS confirmed a full copy or they are in use</source>
        <extracomment>sig_evicted(object): the EvictionReport of a finished run.</extracomment>
        <translation>Lokales Archiv über seiner Größengrenze: {evicted} Studien entfernt, {kept} behalten, weil kein PACS eine vollständige Kopie bestätigte oder sie in Gebrauch sind</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Local archive size limit: {evicted} studies evicted that the PACS holds</source>
        <translation>Größengrenze des lokalen Archivs: {evicted} Studien entfernt, die das PACS vorhält</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Local archive eviction failed: {reason}</source>
        <translation>Entfernen aus dem lokalen Archiv fehlgeschlagen: {reason}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/security/audit_view.py" line="+67"/>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Studie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{user} (system account)</source>
        <translation>{user} (Systemkonto)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>account: {name}</source>
        <translation>Konto: {name}</translation>
    </message>
</context>
<context>
    <name>AuditViewDialog</name>
    <message>
        <location line="+21"/>
        <source>Audit trail</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any user</source>
        <translation>alle Benutzer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any event</source>
        <translation>alle Ereignisse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply filter</source>
        <translation>Filter anwenden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Verify chain</source>
        <translation>Kette prüfen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export XML...</source>
        <translation>XML exportieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event:</source>
        <translation>Ereignis:</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{count} records</source>
        <translation>{count} Einträge</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Chain intact: {count} records checked.</source>
        <translation>Kette intakt: {count} Einträge geprüft.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chain broken at record {seq} ({problem}): {message}</source>
        <translation>Kette unterbrochen bei Eintrag {seq} ({problem}): {message}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The export to {path} failed: {reason}</source>
        <translation>Der Export nach {path} ist fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export the audit records</source>
        <translation>Audit-Einträge exportieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>XML files (*.xml)</source>
        <translation>XML-Dateien (*.xml)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} records exported to {path}</source>
        <translation>{count} Einträge nach {path} exportiert</translation>
    </message>
</context>
<context>
    <name>ConfirmPatientDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/confirm.py" line="+60"/>
        <source>Confirm the patient</source>
        <extracomment>sig_mismatch(int): a wrong entry was refused; the count of refusals so far.</extracomment>
        <translation>Patienten bestätigen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open study</source>
        <translation>Studie öffnen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This study has neither a birth date nor a patient ID, so the patient cannot be confirmed. Correct the patient data first.</source>
        <translation>Diese Studie hat weder ein Geburtsdatum noch eine Patienten-ID, daher kann der Patient nicht bestätigt werden. Korrigieren Sie zuerst die Patientendaten.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID:</source>
        <translation>Patienten-ID:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date:</source>
        <translation>Geburtsdatum:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex:</source>
        <translation>Geschlecht:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession:</source>
        <translation>Zugangsnummer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date:</source>
        <translation>Studiendatum:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description:</source>
        <translation>Beschreibung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality:</source>
        <translation>Modalität:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type the patient&apos;s birth date to confirm:</source>
        <translation>Geben Sie zur Bestätigung das Geburtsdatum des Patienten ein:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The birth date is empty. Type the patient ID to confirm:</source>
        <translation>Das Geburtsdatum ist leer. Geben Sie zur Bestätigung die Patienten-ID ein:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>YYYY-MM-DD</source>
        <translation>JJJJ-MM-TT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>as shown above</source>
        <translation>wie oben angezeigt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The birth date does not match this patient. Check the patient and type the date as {hint}.</source>
        <translation>Das Geburtsdatum passt nicht zu diesem Patienten. Prüfen Sie den Patienten und geben Sie das Datum als {hint} ein.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The patient ID does not match this patient. Check the patient and type the ID exactly.</source>
        <translation>Die Patienten-ID passt nicht zu diesem Patienten. Prüfen Sie den Patienten und geben Sie die ID exakt ein.</translation>
    </message>
</context>
<context>
    <name>ConnectionTestButton</name>
    <message>
        <location filename="../pacs_desktop/ui/network/connection_test.py" line="+38"/>
        <source>&amp;Test connection</source>
        <extracomment>sig_tested(bool, str): success and the message shown.</extracomment>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select a node to test.</source>
        <translation>Wählen Sie einen Knoten zum Testen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testing {node}...</source>
        <translation>{node} wird getestet...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Connection works: C-ECHO answered in {ms:.0f} ms.</source>
        <translation>Verbindung funktioniert: C-ECHO beantwortet in {ms:.0f} ms.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connection failed: {reason}</source>
        <translation>Verbindung fehlgeschlagen: {reason}</translation>
    </message>
</context>
<context>
    <name>DictationDesk</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="+182"/>
        <source>Transcription &amp;worklist</source>
        <extracomment>sig_published(object): the Published object just archived; its send_job_id is set when a send to the dictation node was queued. sig_pending_checked(int): the start-up check for finished recordings and signed reports without an archived object ended; how many it published.</extracomment>
        <translation>Transkriptions-&amp;Arbeitsliste</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Import dictation audio...</source>
        <translation>Diktat-Audio &amp;importieren...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Dictation</source>
        <translation>&amp;Diktat</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Study dictations</source>
        <translation>Diktate der Studie</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Dictation</source>
        <translation>Diktat</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+53"/>
        <source>Import dictation audio</source>
        <translation>Diktat-Audio importieren</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Audio files (*.wav *.flac)</source>
        <translation>Audiodateien (*.wav *.flac)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Attach recording</source>
        <translation>Aufnahme zuordnen</translation>
    </message>
</context>
<context>
    <name>EmergencyAccessDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+60"/>
        <source>Emergency access</source>
        <translation>Notfallzugriff</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This study is restricted and your role does not open it. In an emergency you may open it for {minutes} minutes after stating why. The access and the reason are recorded in the audit trail as an emergency override.</source>
        <translation>Diese Studie ist gesperrt und Ihre Rolle öffnet sie nicht. Im Notfall können Sie sie für {minutes} Minuten öffnen, nachdem Sie den Grund angegeben haben. Der Zugriff und der Grund werden im Audit-Protokoll als Notfallzugriff erfasst.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reason for the emergency access</source>
        <translation>Grund für den Notfallzugriff</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open with emergency access</source>
        <translation>Mit Notfallzugriff öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>State the reason; emergency access needs one.</source>
        <translation>Geben Sie den Grund an; der Notfallzugriff erfordert einen.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/filter_bar.py" line="+80"/>
        <source>Name, * and ? match any text</source>
        <extracomment>sig_query_changed(StudyQuery): the filter the study table should show. sig_submitted(): the user pressed Enter in a field, after the bar emitted sig_query_changed for the current fields.</extracomment>
        <translation>Name, * und ? passen auf beliebigen Text</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>YYYY-MM-DD</source>
        <translation>JJJJ-MM-TT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CT, MR ...</source>
        <translation>CT, MR ...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accession number</source>
        <translation>Zugangsnummer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Study description, * and ?</source>
        <translation>Studienbeschreibung, * und ?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Study date from (inclusive)</source>
        <translation>Studiendatum ab (einschließlich)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date to (inclusive)</source>
        <translation>Studiendatum bis (einschließlich)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I&amp;D:</source>
        <translation>I&amp;D:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date:</source>
        <translation>&amp;Geburtsdatum:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Date from:</source>
        <translation>&amp;Datum von:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to:</source>
        <translation>bis:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalität:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Accession:</source>
        <translation>&amp;Zugangsnummer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;escription:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>A modality is 1 to 16 letters, digits or underscores, such as CT or MR. Separate several with commas.</source>
        <translation>Eine Modalität besteht aus 1 bis 16 Buchstaben, Ziffern oder Unterstrichen, etwa CT oder MR. Trennen Sie mehrere durch Kommas.</translation>
    </message>
</context>
<context>
    <name>FrameLoader</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/loader.py" line="+829"/>
        <source>A new copy cannot be retrieved automatically: {reason}</source>
        <extracomment>sig_series_loaded(int, object): generation, `LoadedSeries`. sig_series_failed(int, str): generation, reason. sig_frame_decoded(int, int, object): generation, display index, `FrameImage`. sig_frame_failed(int, int, object): generation, display index, `FrameFailure`. sig_frame_skipped(int, int): generation, display index no longer wanted. sig_first_frame(int, object, object): generation, `FrameRef`, `FrameImage` of the frame decoded before the series order is known. sig_first_frame_failed(int): generation; the series load goes on. sig_series_loaded(object): the `LoadedSeries` of the last `load_series`. sig_series_failed(str): why the series could not be read. sig_frame_ready(int, object): display index and decoded `FrameImage`. sig_frame_failed(int, str): display index and why it could not be decoded. sig_preview_ready(object): the `FrameImage` of the image that is most likely the series&apos; first, decoded before the series order is known. sig_refetch_queued(object): the `RefetchPlan` of a retrieve just queued because a stored file of the series failed its SHA-256 check. Frames decoded in worker processes since this loader was made.</extracomment>
        <translation>Eine neue Kopie kann nicht automatisch abgerufen werden: {reason}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A new copy is being retrieved from {node}.</source>
        <translation>Eine neue Kopie wird von {node} abgerufen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It cannot be retrieved again because it was imported from files; import it again from its source.</source>
        <translation>Es kann nicht erneut abgerufen werden, weil es aus Dateien importiert wurde; importieren Sie es erneut aus seiner Quelle.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It cannot be retrieved again because no PACS node with AE title {ae_title} is configured; add that node, then reopen the study.</source>
        <translation>Es kann nicht erneut abgerufen werden, weil kein PACS-Knoten mit dem AE-Titel {ae_title} konfiguriert ist; fügen Sie diesen Knoten hinzu und öffnen Sie die Studie erneut.</translation>
    </message>
</context>
<context>
    <name>HelpAndSettingsMenus</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+20"/>
        <source>&amp;Settings...</source>
        <translation>&amp;Einstellungen...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About PACS Desktop</source>
        <translation>Ü&amp;ber PACS Desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Tools</source>
        <translation>E&amp;xtras</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Modalities read here: {list}</source>
        <translation>Hier befundete Modalitäten: {list}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Settings unavailable</source>
        <translation>Einstellungen nicht verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings cannot be opened: {reason}</source>
        <translation>Die Einstellungen können nicht geöffnet werden: {reason}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Record / pause</source>
        <translation>Aufnahme / Pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause</source>
        <translation>Wiedergabe / Pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind</source>
        <translation>Zurückspulen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward</source>
        <translation>Vorspulen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dictation</source>
        <translation>Diktat</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="+404"/>
        <source>PACS Desktop - locked</source>
        <extracomment>sig_locked(): the window hides its patient data now. sig_locked_by_user(): emitted after `sig_locked` when the user locked the screen on purpose rather than by the idle timeout. sig_unlocked(): the session&apos;s user unlocked; the content is back. sig_switch_user(str): this administrator closes the locked session.</extracomment>
        <translation>PACS Desktop - gesperrt</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>The account is locked after too many wrong passwords. An administrator can close this session below.</source>
        <translation>Das Konto ist nach zu vielen falschen Passwörtern gesperrt. Ein Administrator kann diese Sitzung unten schließen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrong password. Try again.</source>
        <translation>Falsches Passwort. Versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The administrator&apos;s name or password is wrong.</source>
        <translation>Name oder Passwort des Administrators ist falsch.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Only an administrator can close this session.</source>
        <translation>Nur ein Administrator kann diese Sitzung schließen.</translation>
    </message>
</context>
<context>
    <name>ImportSummaryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/import_summary.py" line="+32"/>
        <source>Import cancelled</source>
        <translation>Import abgebrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import finished</source>
        <translation>Import abgeschlossen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Imported: {imported} files
Duplicates (already in the archive): {duplicates} files
Rejected: {rejected} files
Duplicates that differ from the stored copy: {conflicts} files
Studies with new images: {studies}</source>
        <translation>Importiert: {imported} Dateien
Duplikate (bereits im Archiv): {duplicates} Dateien
Abgelehnt: {rejected} Dateien
Duplikate, die von der gespeicherten Kopie abweichen: {conflicts} Dateien
Studien mit neuen Bildern: {studies}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Skipped (not DICOM): {skipped} files</source>
        <translation>Übersprungen (kein DICOM): {skipped} Dateien</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Duplicates that differ from the stored copy:</source>
        <translation>Duplikate, die von der gespeicherten Kopie abweichen:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Rejected files and reasons:</source>
        <translation>Abgelehnte Dateien und Gründe:</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+12"/>
        <source>Skipped files (not DICOM):</source>
        <translation>Übersprungene Dateien (kein DICOM):</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="-305"/>
        <source>Unlock</source>
        <extracomment>sig_idle(): no input came for the timeout; emitted once per idle period. sig_unlock_requested(str): the password typed to unlock. sig_switch_user_requested(str, str): an administrator&apos;s name and password.</extracomment>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Close session and switch user</source>
        <translation>Sitzung schließen und Benutzer wechseln</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The workstation is locked</source>
        <translation>Der Arbeitsplatz ist gesperrt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Locked for {user}. Type the password to continue.</source>
        <translation>Gesperrt für {user}. Geben Sie das Passwort ein, um fortzufahren.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Administrator: switch user</source>
        <translation>Administrator: Benutzer wechseln</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Administrator:</source>
        <translation>Administrator:</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Enter the administrator&apos;s user name.</source>
        <translation>Geben Sie den Benutzernamen des Administrators ein.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/login.py" line="+73"/>
        <source>User name:</source>
        <translation>Benutzername:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - create administrator</source>
        <translation>PACS Desktop - Administrator anlegen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No user account exists yet. Choose the name and password of the administrator account; it can add the other users.</source>
        <translation>Es gibt noch kein Benutzerkonto. Wählen Sie Namen und Passwort des Administratorkontos; es kann die weiteren Benutzer anlegen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Repeat password:</source>
        <translation>Passwort wiederholen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - log in</source>
        <translation>PACS Desktop - Anmeldung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to open the workstation.</source>
        <translation>Melden Sie sich an, um den Arbeitsplatz zu öffnen.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Enter a user name.</source>
        <translation>Geben Sie einen Benutzernamen ein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Die beiden Passwörter unterscheiden sich. Geben Sie sie erneut ein.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The account was not created: {reason}</source>
        <translation>Das Konto wurde nicht angelegt: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Login failed: {reason}</source>
        <translation>Anmeldung fehlgeschlagen: {reason}</translation>
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
        <translation>Angemeldet als {user}</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Import &amp;files...</source>
        <translation>&amp;Dateien importieren...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import f&amp;older...</source>
        <translation>&amp;Ordner importieren...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open study</source>
        <translation>Studie ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Close study</source>
        <translation>Studie sch&amp;ließen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Find studies</source>
        <translation>Studien &amp;suchen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Log out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Study</source>
        <translation>&amp;Studie</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Import DICOM files</source>
        <translation>DICOM-Dateien importieren</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import a folder of DICOM files</source>
        <translation>Einen Ordner mit DICOM-Dateien importieren</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Import running</source>
        <translation>Import läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait for the running import to finish, or cancel it.</source>
        <translation>Warten Sie, bis der laufende Import beendet ist, oder brechen Sie ihn ab.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>PACS Desktop - importing</source>
        <translation>PACS Desktop - Import läuft</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Importing</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Looking for DICOM files...</source>
        <translation>DICOM-Dateien werden gesucht...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing: {done} files</source>
        <translation>Import: {done} Dateien</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Importing file {done} of {total}</source>
        <translation>Datei {done} von {total} wird importiert</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Importing file {done}</source>
        <translation>Datei {done} wird importiert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling...</source>
        <translation>Wird abgebrochen...</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Import finished: {imported} imported, {rejected} rejected</source>
        <translation>Import abgeschlossen: {imported} importiert, {rejected} abgelehnt</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Import failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The import stopped: {reason}</source>
        <translation>Der Import wurde angehalten: {reason}</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
</context>
<context>
    <name>NetworkService</name>
    <message>
        <location filename="../pacs_desktop/ui/network/service.py" line="+380"/>
        <source>The storage SCP is not running: no PACS node and no sending AE title is configured.</source>
        <extracomment>sig_echo_finished(str, bool, str): node name, success, and a message (the round trip, or the reason of the failure in plain words). sig_studies_found(int, list): request number and its RemoteStudy list. sig_search_failed(int, str): request number and the reason. sig_series_found(str, list): study UID and its SeriesRecord list. sig_series_failed(str, str): study UID and the reason. sig_jobs_changed(list): every SyncJob of the queue, oldest first. sig_job_progress(JobProgressReport): progress of a running job. sig_job_finished(SyncJob): a job ended an attempt. sig_job_queued(str): a retrieve or send requested here was queued; the job kind, ``&quot;retrieve&quot;`` or ``&quot;send&quot;``. sig_error(str): a queue change failed; the reason in plain words. sig_instance_received(str): the storage SCP stored an instance of this study UID. sig_scp_state(bool, str): whether the storage SCP listens, and why not. The local archive&apos;s record of each job&apos;s study, by Study Instance UID, read with the job list that `sig_jobs_changed` delivered last.</extracomment>
        <translation>Der Storage-SCP läuft nicht: Es ist weder ein PACS-Knoten noch ein sendender AE-Titel konfiguriert.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The storage SCP is not running, so this workstation receives no images: {reason}</source>
        <translation>Der Storage-SCP läuft nicht, daher empfängt dieser Arbeitsplatz keine Bilder: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Storage SCP {ae_title} listening on port {port}</source>
        <translation>Storage-SCP {ae_title} empfängt auf Port {port}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Storage SCP {ae_title} listening on port {port}; it restarts with the new settings when the running jobs end</source>
        <translation>Storage-SCP {ae_title} empfängt auf Port {port}; er startet mit den neuen Einstellungen neu, sobald die laufenden Aufträge beendet sind</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>C-ECHO succeeded in {ms:.0f} ms</source>
        <translation>C-ECHO erfolgreich in {ms:.0f} ms</translation>
    </message>
</context>
<context>
    <name>NetworkUi</name>
    <message>
        <location filename="../pacs_desktop/ui/network/integration.py" line="+215"/>
        <source>S&amp;ource:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send &amp;to</source>
        <translation>Senden &amp;an</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send the selected study, or its selected series, to a PACS</source>
        <translation>Die gewählte Studie oder ihre gewählten Serien an ein PACS senden</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Local archive</source>
        <translation>Lokales Archiv</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PACS {name} ({ae_title})</source>
        <translation>PACS {name} ({ae_title})</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>&amp;Network</source>
        <translation>&amp;Netzwerk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Sync queue</source>
        <translation>&amp;Synchronisationswarteschlange</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Restart storage SCP</source>
        <translation>Storage-SCP neu sta&amp;rten</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Select a study to send.</source>
        <translation>Wählen Sie eine Studie zum Senden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Send to {node} queued.</source>
        <translation>Senden an {node} eingereiht.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Job {id} done: {description}</source>
        <translation>Auftrag {id} erledigt: {description}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Job {id} {state}: {description}</source>
        <translation>Auftrag {id} {state}: {description}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A stored image failed its integrity check: retrieve job {id} fetches a new copy from {node}.</source>
        <translation>Ein gespeichertes Bild hat die Integritätsprüfung nicht bestanden: Abrufauftrag {id} holt eine neue Kopie von {node}.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Storage SCP not running</source>
        <translation>Storage-SCP läuft nicht</translation>
    </message>
</context>
<context>
    <name>NodePage</name>
    <message>
        <location filename="../pacs_desktop/ui/network/node_page.py" line="+96"/>
        <source>Name</source>
        <extracomment>sig_nodes_changed(): the stored PACS nodes changed. sig_nodes_changed(): a node was added, updated or removed here.</extracomment>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title</source>
        <translation>AE-Titel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with</source>
        <translation>Abrufen mit</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Add node</source>
        <translation>Knoten &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Update node</source>
        <translation>Knoten &amp;aktualisieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store the form over the selected node</source>
        <translation>Den gewählten Knoten mit den Werten des Formulars überschreiben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove node</source>
        <translation>Knoten &amp;entfernen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title:</source>
        <translation>AE-Titel:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with:</source>
        <translation>Abrufen mit:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add; Update node keeps them. Node changes are stored at once.</source>
        <translation>TLS-Zertifikate und Schlüssel-Passphrasen werden mit dem Befehl pacs-desktop node add gesetzt; Knoten aktualisieren behält sie bei. Änderungen an Knoten werden sofort gespeichert.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>C-GET, else C-MOVE</source>
        <translation>C-GET, sonst C-MOVE</translation>
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
        <translation>Vom Standortprofil festgelegt</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Node not read</source>
        <translation>Knoten nicht gelesen</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Node not added</source>
        <translation>Knoten nicht hinzugefügt</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Node not updated</source>
        <translation>Knoten nicht aktualisiert</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Node not removed</source>
        <translation>Knoten nicht entfernt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Correct these fields and try again:</source>
        <translation>Korrigieren Sie diese Felder und versuchen Sie es erneut:</translation>
    </message>
</context>
<context>
    <name>OverlayTexts</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/overlays.py" line="+385"/>
        <source>Series {series}</source>
        <translation>Serie {series}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image {number} / {count}</source>
        <translation>Bild {number} / {count}</translation>
    </message>
    <message>
        <source>Position {mm:.1f} mm</source>
        <translation type="vanished">Position {mm:.1f} mm</translation>
    </message>
    <message>
        <source>Thickness {mm:.1f} mm</source>
        <translation type="vanished">Schichtdicke {mm:.1f} mm</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Position {mm} mm</source>
        <translation>Position {mm} mm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thickness {mm} mm</source>
        <translation>Schichtdicke {mm} mm</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>C {center:.0f} W {width:.0f}</source>
        <translation>C {center:.0f} W {width:.0f}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>VOI LUT</source>
        <translation>VOI-LUT</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Zoom {percent:.0f} %</source>
        <translation>Zoom {percent:.0f} %</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This series contains no images.</source>
        <translation>Diese Serie enthält keine Bilder.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No image of this series can be shown.</source>
        <translation>Kein Bild dieser Serie kann angezeigt werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gap or uneven slice spacing after image {numbers}.</source>
        <translation>Lücke oder ungleichmäßiger Schichtabstand nach Bild {numbers}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Uneven slice spacing in this series.</source>
        <translation>Ungleichmäßiger Schichtabstand in dieser Serie.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n file(s) of this series cannot be read.</source>
        <translation>
            <numerusform>%n Datei dieser Serie kann nicht gelesen werden.</numerusform>
            <numerusform>%n Dateien dieser Serie können nicht gelesen werden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="-76"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat password:</source>
        <translation>Passwort wiederholen:</translation>
    </message>
</context>
<context>
    <name>PatientBanner</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/banner.py" line="+53"/>
        <source>(no name)</source>
        <translation>(kein Name)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID: {patient_id}</source>
        <translation>ID: {patient_id}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Born: {birth_date}</source>
        <translation>Geb.: {birth_date}</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/player_widget.py" line="+80"/>
        <location line="+185"/>
        <source>Play</source>
        <extracomment>sig_loaded(object): the Player created for a file loaded by `load_file`. sig_error(str): a message about audio that failed to load or play.</extracomment>
        <translation>Wiedergabe</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back 3 s</source>
        <translation>3 s zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward 3 s</source>
        <translation>3 s vor</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Loading the dictation...</source>
        <translation>Diktat wird geladen...</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Speed changes the pitch: no pitch-preserving time-stretching library is installed.</source>
        <translation>Das Tempo verändert die Tonhöhe: Es ist keine Bibliothek für tonhöhentreue Zeitdehnung installiert.</translation>
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
        <translation>Keine Studie geöffnet</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Routine</source>
        <translation>Routine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgent</source>
        <translation>Dringend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>STAT</source>
        <translation>Notfall (STAT)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+422"/>
        <source>Record</source>
        <translation>Aufnahme</translation>
    </message>
    <message>
        <location line="-421"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Append at the end</source>
        <translation>Am Ende anfügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert at position</source>
        <translation>An der Position einfügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite from position</source>
        <translation>Ab der Position überschreiben</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Insert and overwrite apply to a paused recording. Pause, choose the mode and position, then press Continue recording.</source>
        <translation>Einfügen und Überschreiben gelten für eine pausierte Aufnahme. Pausieren Sie, wählen Sie Modus und Position und drücken Sie dann Aufnahme fortsetzen.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (default)</source>
        <translation> (Standard)</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Study: {name}, {accession}</source>
        <translation>Studie: {name}, {accession}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Study: {name}</source>
        <translation>Studie: {name}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This recording belongs to {name} (ID {patient_id}), study of {date} {description}, accession {accession}, not to the study on screen.</source>
        <translation>Diese Aufnahme gehört zu {name} (ID {patient_id}), Studie vom {date} {description}, Zugangsnummer {accession}, nicht zur angezeigten Studie.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Recording paused</source>
        <translation>Aufnahme pausiert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The study was closed while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>Während Sie diktiert haben, wurde die Studie geschlossen. Die Aufnahme ist pausiert und bleibt der Studie zugeordnet, auf der sie begonnen wurde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another study was opened while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>Während Sie diktiert haben, wurde eine andere Studie geöffnet. Die Aufnahme ist pausiert und bleibt der Studie zugeordnet, auf der sie begonnen wurde.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Continue on the original study</source>
        <translation>Auf der ursprünglichen Studie fortfahren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop recording</source>
        <translation>Aufnahme beenden</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Open a study before recording.</source>
        <translation>Öffnen Sie vor der Aufnahme eine Studie.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Recording paused because the screen was locked. Press Continue recording to go on.</source>
        <translation>Die Aufnahme wurde pausiert, weil der Bildschirm gesperrt wurde. Drücken Sie Aufnahme fortsetzen, um weiterzumachen.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The maximum dictation length was reached.</source>
        <translation>Die maximale Diktatlänge wurde erreicht.</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Continue recording</source>
        <translation>Aufnahme fortsetzen</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/recovery_dialog.py" line="+61"/>
        <source>Recovered recordings</source>
        <extracomment>sig_kept(object): the Dictation just kept, now a finished recording. sig_discarded(object): the Dictation just discarded.</extracomment>
        <translation>Wiederhergestellte Aufnahmen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep for transcription</source>
        <translation>Für die Transkription behalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide later</source>
        <translation>Später entscheiden</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>These recordings were interrupted (a crash or a power cut) and were recovered. Each stays attached to its study.</source>
        <translation>Diese Aufnahmen wurden unterbrochen (Absturz oder Stromausfall) und wiederhergestellt. Jede bleibt ihrer Studie zugeordnet.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{started}: {length}, patient {name} (ID {patient_id}), study of {date} {description}, accession {accession}</source>
        <translation>{started}: {length}, Patient {name} (ID {patient_id}), Studie vom {date} {description}, Zugangsnummer {accession}</translation>
    </message>
    <message>
        <source>{started}: {length}, accession {accession}</source>
        <translation type="vanished">{started}: {length}, Zugangsnummer {accession}</translation>
    </message>
</context>
<context>
    <name>RemoteBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/network/remote_browser.py" line="+119"/>
        <source>&amp;Search</source>
        <extracomment>sig_studies_shown(int): a search finished and shows this many studies. sig_series_shown(int): the series list of the current study is filled. sig_open_requested(StudyRecord): open this study, which is fully local.</extracomment>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Retrieve study</source>
        <translation>Studie &amp;abrufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retrieve selected s&amp;eries</source>
        <translation>Gewählte S&amp;erien abrufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open local copy</source>
        <translation>Lokale Kopie ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Series on the PACS</source>
        <translation>Serien im PACS</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Press Enter or Search to query {node}.</source>
        <translation>Drücken Sie Enter oder Suchen, um {node} abzufragen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Searching {node}...</source>
        <translation>{node} wird durchsucht...</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n study(s) found on {node}</source>
        <translation>
            <numerusform>%n Studie auf {node} gefunden</numerusform>
            <numerusform>%n Studien auf {node} gefunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+68"/>
        <source>{number}{modality} {description} (%n image(s))</source>
        <translation>
            <numerusform>{number}{modality} {description} (%n Bild)</numerusform>
            <numerusform>{number}{modality} {description} (%n Bilder)</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} studies found on {node}</source>
        <translation type="vanished">{count} Studien auf {node} gefunden</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Search failed: {reason}</source>
        <translation>Suche fehlgeschlagen: {reason}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Loading series...</source>
        <translation>Serien werden geladen...</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Series not listed: {reason}</source>
        <translation>Serien nicht aufgelistet: {reason}</translation>
    </message>
    <message>
        <source>{number}{modality} {description} ({count} images)</source>
        <translation type="vanished">{number}{modality} {description} ({count} Bilder)</translation>
    </message>
    <message>
        <location line="+37"/>
        <location line="+11"/>
        <source>Retrieve queued; the sync panel shows its progress.</source>
        <translation>Abruf eingereiht; der Synchronisationsbereich zeigt den Fortschritt.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This study is not in the local archive; retrieve it first.</source>
        <translation>Diese Studie ist nicht im lokalen Archiv; rufen Sie sie zuerst ab.</translation>
    </message>
</context>
<context>
    <name>RemoteStudyModel</name>
    <message>
        <location line="-264"/>
        <source>{total} ({local} local)</source>
        <translation>{total} ({local} lokal)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{local} of {total} instances are in the local archive</source>
        <translation>{local} von {total} Instanzen sind im lokalen Archiv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not in the local archive</source>
        <translation>Nicht im lokalen Archiv</translation>
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
        <translation>Studie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>Zugangsnummer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark transcribed</source>
        <translation>Als transkribiert markieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark corrected</source>
        <translation>Als korrigiert markieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign...</source>
        <translation>Signieren...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amend</source>
        <translation>Nachtrag</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>You may no longer change this text.</source>
        <translation>Sie dürfen diesen Text nicht mehr ändern.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This dictation is no longer claimed by you; claim it again to type.</source>
        <translation>Dieses Diktat ist nicht mehr von Ihnen übernommen; übernehmen Sie es erneut, um zu schreiben.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{user} is transcribing this dictation now; only that user can change its text.</source>
        <translation>{user} transkribiert dieses Diktat gerade; nur dieser Benutzer kann den Text ändern.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{state}, version {version}</source>
        <translation>{state}, Version {version}</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Signed.</source>
        <translation>Signiert.</translation>
    </message>
    <message>
        <location line="-246"/>
        <location line="+131"/>
        <source>Open a dictation to type its report</source>
        <translation>Öffnen Sie ein Diktat, um seinen Befund zu schreiben</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+97"/>
        <source>Reset the password of {name}</source>
        <translation>Passwort von {name} zurücksetzen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Die beiden Passwörter unterscheiden sich. Geben Sie sie erneut ein.</translation>
    </message>
</context>
<context>
    <name>RestrictionActions</name>
    <message>
        <location filename="../pacs_desktop/ui/security/restriction_actions.py" line="+54"/>
        <source>&amp;Restrict study...</source>
        <translation>Studie &amp;sperren...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lift restriction</source>
        <translation>Sperre &amp;aufheben</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Restrict study</source>
        <translation>Studie sperren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only a radiologist who states a reason for emergency access will open this study. Why is it restricted (for example: staff member, VIP)?</source>
        <translation>Nur ein Radiologe, der einen Grund für den Notfallzugriff angibt, kann diese Studie öffnen. Warum wird sie gesperrt (zum Beispiel: Mitarbeiter, VIP)?</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Study restriction not changed</source>
        <translation>Sperre der Studie nicht geändert</translation>
    </message>
</context>
<context>
    <name>SecurityControls</name>
    <message>
        <location filename="../pacs_desktop/ui/security/controls.py" line="+153"/>
        <source>&amp;Users...</source>
        <translation>&amp;Benutzer...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Audit trail...</source>
        <translation>&amp;Audit-Protokoll...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Lock screen</source>
        <translation>Bildschirm &amp;sperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Se&amp;curity</source>
        <translation>Si&amp;cherheit</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
</context>
<context>
    <name>SeriesList</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/series_list.py" line="+72"/>
        <source>This series contains no images.</source>
        <extracomment>sig_series_selected(str): key of the series the user chose.</extracomment>
        <translation>Diese Serie enthält keine Bilder.</translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n Bild</numerusform>
            <numerusform>%n Bilder</numerusform>
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
        <translation>Kurve</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report</source>
        <translation>Befund</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key images</source>
        <translation>Schlüsselbilder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presentation state</source>
        <translation>Darstellungsstatus</translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/series_panel.py" line="+56"/>
        <source>Series</source>
        <extracomment>sig_thumbnails_done(int): the number of thumbnails of the current study that are finished (drawn or failed).</extracomment>
        <translation>Serie</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{number}{modality} {description}
{count} images</source>
        <translation>{number}{modality} {description}
{count} Bilder</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No preview: {reason}</source>
        <translation>Keine Vorschau: {reason}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/settings_dialog.py" line="+101"/>
        <source>Settings</source>
        <extracomment>sig_applied(list): the setting keys whose values were stored.</extracomment>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PACS nodes</source>
        <translation>PACS-Knoten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage SCP</source>
        <translation>Storage-SCP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local archive</source>
        <translation>Lokales Archiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display</source>
        <translation>Anzeige</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dictation</source>
        <translation>Diktat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation type="vanished">AE-Titel</translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="vanished">Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="vanished">Port</translation>
    </message>
    <message>
        <source>Retrieve</source>
        <translation type="vanished">Abruf</translation>
    </message>
    <message>
        <source>C-GET, else C-MOVE</source>
        <translation type="vanished">C-GET, sonst C-MOVE</translation>
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
        <translation type="vanished">Knoten &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove node</source>
        <translation type="vanished">Knoten &amp;entfernen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="vanished">Name:</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>AE title:</source>
        <translation>AE-Titel:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="vanished">Host:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Retrieve with:</source>
        <translation type="vanished">Abrufen mit:</translation>
    </message>
    <message>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add. Node changes are stored at once.</source>
        <translation type="vanished">TLS-Zertifikate und Schlüssel-Passphrasen werden mit dem Befehl pacs-desktop node add gesetzt. Änderungen an Knoten werden sofort gespeichert.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CT1, MR_2 ...</source>
        <translation>CT1, MR_2 ...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also accept images from:</source>
        <translation>Auch Bilder annehmen von:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The data directory</source>
        <translation>Das Datenverzeichnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Durchsuchen...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Oldest study date first</source>
        <translation>Älteste Studie zuerst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least recently opened first</source>
        <translation>Am längsten nicht geöffnete zuerst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest study first</source>
        <translation>Größte Studie zuerst</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Location:</source>
        <translation>Speicherort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size limit:</source>
        <translation>Größengrenze:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When full, remove:</source>
        <translation>Wenn voll, entfernen:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All modalities</source>
        <translation>Alle Modalitäten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One image</source>
        <translation>Ein Bild</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two side by side</source>
        <translation>Zwei nebeneinander</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two stacked</source>
        <translation>Zwei übereinander</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four (2 x 2)</source>
        <translation>Vier (2 x 2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dark (reading room)</source>
        <translation>Dunkel (Befundraum)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Modalities read here:</source>
        <translation>Hier befundete Modalitäten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default layout:</source>
        <translation>Standardlayout:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme:</source>
        <translation>Farbschema:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Window presets per modality:</source>
        <translation>Fenstervorgaben je Modalität:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Centre</source>
        <translation>Zentrum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;preset</source>
        <translation>&amp;Vorgabe hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove preset</source>
        <translation>Vorgabe entfernen</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Microphone:</source>
        <translation>Mikrofon:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record / pause:</source>
        <translation>Aufnahme / Pause:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause:</source>
        <translation>Wiedergabe / Pause:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop:</source>
        <translation>Stopp:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind:</source>
        <translation>Zurückspulen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward:</source>
        <translation>Vorspulen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maximum length:</source>
        <translation>Maximale Länge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send dictations and reports to PACS node:</source>
        <translation>Diktate und Befunde an PACS-Knoten senden:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(none: keep in the local archive)</source>
        <translation>(keiner: im lokalen Archiv behalten)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} (no such PACS node)</source>
        <translation>{name} (kein solcher PACS-Knoten)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Dictations and reports are set to be sent to the PACS node {name}, which does not exist.

Choose a configured node, add {name} on the PACS nodes page, or choose to keep them in the local archive.</source>
        <translation>Diktate und Befunde sollen an den PACS-Knoten {name} gesendet werden, den es nicht gibt.

Wählen Sie einen konfigurierten Knoten, fügen Sie {name} auf der Seite PACS-Knoten hinzu, oder behalten Sie sie im lokalen Archiv.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lock the screen after:</source>
        <translation>Bildschirm sperren nach:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Failed logins before lockout:</source>
        <translation>Fehlanmeldungen bis zur Sperre:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Until an administrator unlocks</source>
        <translation>Bis ein Administrator entsperrt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lockout duration:</source>
        <translation>Sperrdauer:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minimum password length:</source>
        <translation>Minimale Passwortlänge:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> characters</source>
        <translation> Zeichen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new language applies when PACS Desktop starts next.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von PACS Desktop.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Set by the site profile {name}</source>
        <translation>Vom Standortprofil {name} festgelegt</translation>
    </message>
    <message>
        <location line="-69"/>
        <location line="+223"/>
        <source>Invalid setting</source>
        <translation>Ungültige Einstellung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason}

Correct the value and try again.</source>
        <translation>{reason}

Korrigieren Sie den Wert und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Local archive folder</source>
        <translation>Ordner des lokalen Archivs</translation>
    </message>
    <message>
        <source>Set by the site profile</source>
        <translation type="vanished">Vom Standortprofil festgelegt</translation>
    </message>
    <message>
        <source>Node not added</source>
        <translation type="vanished">Knoten nicht hinzugefügt</translation>
    </message>
    <message>
        <source>Node not removed</source>
        <translation type="vanished">Knoten nicht entfernt</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-336"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Main window</source>
        <translation>Hauptfenster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image viewer</source>
        <translation>Bildbetrachter</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/report_editor.py" line="-211"/>
        <source>Sign the report</source>
        <translation>Befund signieren</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sign</source>
        <translation>Signieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type your password to sign. Signing is final.</source>
        <translation>Geben Sie zum Signieren Ihr Passwort ein. Die Signatur ist endgültig.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Wrong password; nothing was signed.</source>
        <translation>Falsches Passwort; es wurde nichts signiert.</translation>
    </message>
</context>
<context>
    <name>StudyAccessGate</name>
    <message>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist or an administrator.</source>
        <translation type="vanished">Diese Studie ist gesperrt, und Ihre Rolle hat keinen Notfallzugriff. Wenden Sie sich an einen Radiologen oder einen Administrator.</translation>
    </message>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+114"/>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>This study is restricted. To open it, lift the restriction: right-click the study in the study list and choose Lift restriction.</source>
        <translation>Diese Studie ist gesperrt. Um sie zu öffnen, heben Sie die Sperre auf: Klicken Sie in der Studienliste mit der rechten Maustaste auf die Studie und wählen Sie Sperre aufheben.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist to open it with emergency access, or an administrator to lift the restriction.</source>
        <translation>Diese Studie ist gesperrt, und Ihre Rolle hat keinen Notfallzugriff. Bitten Sie einen Radiologen, sie mit Notfallzugriff zu öffnen, oder einen Administrator, die Sperre aufzuheben.</translation>
    </message>
</context>
<context>
    <name>StudyBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/browser_widget.py" line="+176"/>
        <source>&amp;Refresh study list</source>
        <extracomment>sig_open_requested(): the user pressed Enter or double-clicked a row. sig_open_requested(StudyRecord): the user asked to open this study. sig_studies_shown(int): the table was refilled; the number of studies loaded (the first page, or every match when the sort needs them all).</extracomment>
        <translation>Studienliste a&amp;ktualisieren</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+6"/>
        <source>No search: {reason}</source>
        <translation>Keine Suche: {reason}</translation>
    </message>
</context>
<context>
    <name>StudyDictationsPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/study_dictations.py" line="+118"/>
        <source>No signed report</source>
        <extracomment>sig_listed(object): the StudyDictations now shown. sig_audio_loaded(object): the Player of the selected dictation. sig_dictation_opened(object): the Dictation whose audio is being loaded for playback. sig_report_signed(object): the amended Report version just signed, to be archived and sent like any signed report.</extracomment>
        <translation>Kein signierter Befund</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+134"/>
        <source>Amend report</source>
        <translation>Nachtrag zum Befund</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Dictations of this study</source>
        <translation>Diktate dieser Studie</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signed report</source>
        <translation>Signierter Befund</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>{author}, {started}, {length}, {state}</source>
        <translation>{author}, {started}, {length}, {state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown author</source>
        <translation>unbekannter Autor</translation>
    </message>
</context>
<context>
    <name>StudyTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/study_model.py" line="+63"/>
        <source>Patient name</source>
        <translation>Patientenname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date</source>
        <translation>Geburtsdatum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Geschlecht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date</source>
        <translation>Studiendatum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modalities</source>
        <translation>Modalitäten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>Zugangsnummer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Series</source>
        <translation>Serien</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>Bilder</translation>
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
        <translation>{count} Serien</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Sync queue</source>
        <extracomment>sig_jobs_shown(int): the table was refilled with this many jobs.</extracomment>
        <translation>Synchronisationswarteschlange</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Retry</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ca&amp;ncel job</source>
        <translation>Auftrag a&amp;bbrechen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study or series</source>
        <translation>Studie oder Serie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Storage commitment</source>
        <translation type="vanished">Speicherbestätigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commitment</source>
        <translation>Bestätigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instances</source>
        <translation>Instanzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MB/s</source>
        <translation>MB/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time left</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next attempt</source>
        <translation>Nächster Versuch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Storage commitment: whether the PACS confirmed that it keeps the instances sent</source>
        <translation>Speicherbestätigung: ob das PACS bestätigt hat, dass es die gesendeten Instanzen aufbewahrt</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Retrieve</source>
        <translation>Abruf</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{attempts} of {limit}</source>
        <translation>{attempts} von {limit}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>committed</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not supported</source>
        <translation>nicht unterstützt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no report</source>
        <translation>keine Meldung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed for {count} instances</source>
        <translation>fehlgeschlagen für {count} Instanzen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{done} of {total}</source>
        <translation>{done} von {total}</translation>
    </message>
</context>
<context>
    <name>TranscriptionWindow</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="-248"/>
        <source>Transcription worklist</source>
        <translation>Transkriptions-Arbeitsliste</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The report is signed.</source>
        <translation>Der Befund ist signiert.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The study of this dictation is not in the local archive.</source>
        <translation>Die Studie dieses Diktats ist nicht im lokalen Archiv.</translation>
    </message>
</context>
<context>
    <name>UserManagementDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+30"/>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>Deaktiviert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Locked</source>
        <translation>Gesperrt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add user...</source>
        <translation>Benutzer hinzufügen...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable</source>
        <translation>Aktivieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset password...</source>
        <translation>Passwort zurücksetzen...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set role</source>
        <translation>Rolle festlegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New role:</source>
        <translation>Neue Rolle:</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>until {time}</source>
        <translation>bis {time}</translation>
    </message>
</context>
<context>
    <name>ViewerKeyNames</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-49"/>
        <source>Wheel</source>
        <translation>Mausrad</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Right drag</source>
        <translation>Ziehen mit rechter Maustaste</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Left or middle drag</source>
        <translation>Ziehen mit linker oder mittlerer Maustaste</translation>
    </message>
</context>
<context>
    <name>ViewerShortcuts</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/shortcuts.py" line="+135"/>
        <source>Next / previous image</source>
        <translation>Nächstes / vorheriges Bild</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous / next image</source>
        <translation>Vorheriges / nächstes Bild</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>10 images back / forward</source>
        <translation>10 Bilder zurück / vor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>First / last image</source>
        <translation>Erstes / letztes Bild</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window: horizontal is width, vertical is centre</source>
        <translation>Fenster: horizontal ist die Breite, vertikal das Zentrum</translation>
    </message>
    <message>
        <source>CT window presets</source>
        <translation type="vanished">CT-Fenstervorgaben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Window presets of the series&apos; modality</source>
        <translation>Fenstervorgaben der Modalität der Serie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file&apos;s own window</source>
        <translation>Das Fenster der Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in / out</source>
        <translation>Vergrößern / verkleinern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pan</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit to the window</source>
        <translation>An das Fenster anpassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actual size (1:1)</source>
        <translation>Originalgröße (1:1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invert</source>
        <translation>Invertieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rotate 90 degrees clockwise</source>
        <translation>Um 90 Grad im Uhrzeigersinn drehen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flip horizontally / vertically</source>
        <translation>Horizontal / vertikal spiegeln</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset view: fit, no rotation, flip or inversion, the file&apos;s window</source>
        <translation>Ansicht zurücksetzen: eingepasst, ohne Drehung, Spiegelung oder Invertierung, mit dem Fenster der Datei</translation>
    </message>
</context>
<context>
    <name>ViewerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/viewer_widget.py" line="+231"/>
        <source>This study contains no images.</source>
        <extracomment>sig_frame_changed(int): display index (from 0) of the image now shown. sig_window_changed(float, float): centre and width of the window now applied, in modality units. sig_series_loaded(int): number of images of the series just read. sig_message(str): a notice shown over the image for a few seconds, such as why a preset key did nothing, for a status bar to repeat.</extracomment>
        <translation>Diese Studie enthält keine Bilder.</translation>
    </message>
    <message>
        <location line="+237"/>
        <source>The series cannot be read: {reason}</source>
        <translation>Die Serie kann nicht gelesen werden: {reason}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Image {number} cannot be shown: {reason}</source>
        <translation>Bild {number} kann nicht angezeigt werden: {reason}</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Inverted</source>
        <translation>Invertiert</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>No window preset on key {key} for {modality}.</source>
        <translation>Keine Fenstervorgabe auf Taste {key} für {modality}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for {modality}; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>Keine Fenstervorgaben für {modality}; sie werden unter Extras &gt; Einstellungen &gt; Anzeige festgelegt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for this series; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>Keine Fenstervorgaben für diese Serie; sie werden unter Extras &gt; Einstellungen &gt; Anzeige festgelegt.</translation>
    </message>
</context>
<context>
    <name>WindowPresets</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/presets.py" line="+21"/>
        <source>Brain</source>
        <translation>Gehirn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subdural</source>
        <translation>Subdural</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stroke</source>
        <translation>Schlaganfall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lung</source>
        <translation>Lunge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediastinum</source>
        <translation>Mediastinum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abdomen</source>
        <translation>Abdomen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Liver</source>
        <translation>Leber</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bone</source>
        <translation>Knochen</translation>
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
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Studie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked by</source>
        <translation>Gesperrt von</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded</source>
        <translation>Aufgenommen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last change</source>
        <translation>Letzte Änderung</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Claim</source>
        <extracomment>sig_open_requested(object): the Dictation the user wants to work on. sig_changed(object): a Dictation after a claim or release by this widget. sig_selection_changed(object): the selected Dictation, or None when no row is selected; also emitted when a refresh changed the selected row. Asks whether to release another user&apos;s claim; tests replace it.</extracomment>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Release</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>Release another user&apos;s claim</source>
        <translation>Übernahme eines anderen Benutzers freigeben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{user} is transcribing this dictation. Release the claim so that someone else can transcribe it? Text typed so far stays in the report.</source>
        <translation>{user} transkribiert dieses Diktat. Die Übernahme freigeben, damit jemand anderes es transkribieren kann? Bereits geschriebener Text bleibt im Befund erhalten.</translation>
    </message>
</context>
<context>
    <name>run_gui</name>
    <message>
        <location filename="../pacs_desktop/ui/application.py" line="+199"/>
        <source>PACS Desktop cannot start</source>
        <translation>PACS Desktop kann nicht starten</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>The data directory {path} cannot be opened: {reason}</source>
        <translation>Das Datenverzeichnis {path} kann nicht geöffnet werden: {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The settings cannot be applied: {reason}

Correct the site profile or the settings file, then start PACS Desktop again.</source>
        <translation>Die Einstellungen können nicht angewendet werden: {reason}

Korrigieren Sie das Standortprofil oder die Einstellungsdatei und starten Sie PACS Desktop dann erneut.</translation>
    </message>
</context>
</TS>
