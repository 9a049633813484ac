<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+259"/>
        <source>About PACS Desktop</source>
        <translation>Acerca de PACS Desktop</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Radiology workstation: local DICOM archive, image viewer, PACS query and retrieve, and dictation.</source>
        <translation>Estación de radiología: archivo DICOM local, visor de imágenes, consulta y recuperación PACS, y dictado.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Version:</source>
        <translation>Versión:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence:</source>
        <translation>Licencia:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data folder:</source>
        <translation>Carpeta de datos:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log folder:</source>
        <translation>Carpeta de registros:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs on:</source>
        <translation>Se ejecuta en:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Component</source>
        <translation>Componente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Versión</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>Licencia</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Components and their licences:</source>
        <translation>Componentes y sus licencias:</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+125"/>
        <source>Add user</source>
        <translation>Añadir usuario</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>User name:</source>
        <translation>Nombre de usuario:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role:</source>
        <translation>Rol:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter a user name.</source>
        <translation>Introduzca un nombre de usuario.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Las dos contraseñas no coinciden. Escríbalas de nuevo.</translation>
    </message>
</context>
<context>
    <name>ArchiveActions</name>
    <message>
        <location filename="../pacs_desktop/ui/archive_actions.py" line="+77"/>
        <source>&amp;Delete from local archive...</source>
        <extracomment>sig_deleted(object): the RemovedStudy of a finished deletion.</extracomment>
        <translation>&amp;Eliminar del archivo local...</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Delete from local archive</source>
        <translation>Eliminar del archivo local</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the images of this study from the local archive?</source>
        <translation>¿Eliminar las imágenes de este estudio del archivo local?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Patient: {name}
Patient ID: {patient_id}
Instances: {count}

Dictations and reports of the study are kept, and copies on the PACS are not touched.</source>
        <translation>Paciente: {name}
ID de paciente: {patient_id}
Instancias: {count}

Los dictados y los informes del estudio se conservan, y las copias en el PACS no se modifican.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Deleted {count} instances from the local archive</source>
        <translation>{count} instancias eliminadas del archivo local</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Study not deleted</source>
        <translation>Estudio no eliminado</translation>
    </message>
</context>
<context>
    <name>ArchiveUpkeep</name>
    <message>
        <location line="+98"/>
        <source>Local archive over its size limit: {evicted} studies evicted, {kept} kept because no PACS confirmed a full copy or they are in use</source>
        <extracomment>sig_evicted(object): the EvictionReport of a finished run.</extracomment>
        <translation>Archivo local por encima de su límite de tamaño: {evicted} estudios retirados, {kept} conservados porque ningún PACS confirmó una copia completa o están en uso</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Local archive size limit: {evicted} studies evicted that the PACS holds</source>
        <translation>Límite de tamaño del archivo local: {evicted} estudios retirados que el PACS conserva</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Local archive eviction failed: {reason}</source>
        <translation>Falló la retirada del archivo local: {reason}</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/security/audit_view.py" line="+67"/>
        <source>Time (UTC)</source>
        <translation>Hora (UTC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID del paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Estudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>{user} (system account)</source>
        <translation>{user} (cuenta del sistema)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>account: {name}</source>
        <translation>cuenta: {name}</translation>
    </message>
</context>
<context>
    <name>AuditViewDialog</name>
    <message>
        <location line="+21"/>
        <source>Audit trail</source>
        <translation>Registro de auditoría</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>any user</source>
        <translation>cualquier usuario</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any event</source>
        <translation>cualquier evento</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Apply filter</source>
        <translation>Aplicar filtro</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Verify chain</source>
        <translation>Verificar la cadena</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export XML...</source>
        <translation>Exportar XML...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>User:</source>
        <translation>Usuario:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event:</source>
        <translation>Evento:</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{count} records</source>
        <translation>{count} registros</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Chain intact: {count} records checked.</source>
        <translation>Cadena íntegra: {count} registros verificados.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chain broken at record {seq} ({problem}): {message}</source>
        <translation>Cadena rota en el registro {seq} ({problem}): {message}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The export to {path} failed: {reason}</source>
        <translation>La exportación a {path} ha fallado: {reason}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export the audit records</source>
        <translation>Exportar los registros de auditoría</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>XML files (*.xml)</source>
        <translation>Archivos XML (*.xml)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} records exported to {path}</source>
        <translation>{count} registros exportados a {path}</translation>
    </message>
</context>
<context>
    <name>ConfirmPatientDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/confirm.py" line="+60"/>
        <source>Confirm the patient</source>
        <extracomment>sig_mismatch(int): a wrong entry was refused; the count of refusals so far.</extracomment>
        <translation>Confirmar el paciente</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Open study</source>
        <translation>Abrir estudio</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This study has neither a birth date nor a patient ID, so the patient cannot be confirmed. Correct the patient data first.</source>
        <translation>Este estudio no tiene fecha de nacimiento ni ID del paciente, por lo que no se puede confirmar el paciente. Corrija primero los datos del paciente.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID:</source>
        <translation>ID del paciente:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date:</source>
        <translation>Fecha de nacimiento:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex:</source>
        <translation>Sexo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession:</source>
        <translation>N.º de acceso:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date:</source>
        <translation>Fecha del estudio:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description:</source>
        <translation>Descripción:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality:</source>
        <translation>Modalidad:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(empty)</source>
        <translation>(vacío)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type the patient&apos;s birth date to confirm:</source>
        <translation>Escriba la fecha de nacimiento del paciente para confirmar:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The birth date is empty. Type the patient ID to confirm:</source>
        <translation>La fecha de nacimiento está vacía. Escriba el ID del paciente para confirmar:</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>as shown above</source>
        <translation>como se muestra arriba</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The birth date does not match this patient. Check the patient and type the date as {hint}.</source>
        <translation>La fecha de nacimiento no coincide con este paciente. Compruebe el paciente y escriba la fecha como {hint}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The patient ID does not match this patient. Check the patient and type the ID exactly.</source>
        <translation>El ID del paciente no coincide con este paciente. Compruebe el paciente y escriba el ID exactamente.</translation>
    </message>
</context>
<context>
    <name>ConnectionTestButton</name>
    <message>
        <location filename="../pacs_desktop/ui/network/connection_test.py" line="+38"/>
        <source>&amp;Test connection</source>
        <extracomment>sig_tested(bool, str): success and the message shown.</extracomment>
        <translation>&amp;Probar conexión</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Select a node to test.</source>
        <translation>Seleccione un nodo para probar.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testing {node}...</source>
        <translation>Probando {node}...</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Connection works: C-ECHO answered in {ms:.0f} ms.</source>
        <translation>La conexión funciona: C-ECHO respondió en {ms:.0f} ms.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connection failed: {reason}</source>
        <translation>La conexión ha fallado: {reason}</translation>
    </message>
</context>
<context>
    <name>DictationDesk</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="+182"/>
        <source>Transcription &amp;worklist</source>
        <extracomment>sig_published(object): the Published object just archived; its send_job_id is set when a send to the dictation node was queued. sig_pending_checked(int): the start-up check for finished recordings and signed reports without an archived object ended; how many it published.</extracomment>
        <translation>&amp;Lista de transcripción</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Import dictation audio...</source>
        <translation>&amp;Importar audio de dictado...</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Dictation</source>
        <translation>&amp;Dictado</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Study dictations</source>
        <translation>Dictados del estudio</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Dictation</source>
        <translation>Dictado</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+53"/>
        <source>Import dictation audio</source>
        <translation>Importar audio de dictado</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Audio files (*.wav *.flac)</source>
        <translation>Archivos de audio (*.wav *.flac)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Attach recording</source>
        <translation>Vincular la grabación</translation>
    </message>
</context>
<context>
    <name>EmergencyAccessDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+60"/>
        <source>Emergency access</source>
        <translation>Acceso de emergencia</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This study is restricted and your role does not open it. In an emergency you may open it for {minutes} minutes after stating why. The access and the reason are recorded in the audit trail as an emergency override.</source>
        <translation>Este estudio está restringido y su rol no permite abrirlo. En una emergencia puede abrirlo durante {minutes} minutos tras indicar el motivo. El acceso y el motivo se registran en el registro de auditoría como acceso de emergencia.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reason for the emergency access</source>
        <translation>Motivo del acceso de emergencia</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open with emergency access</source>
        <translation>Abrir con acceso de emergencia</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason:</source>
        <translation>Motivo:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>State the reason; emergency access needs one.</source>
        <translation>Indique el motivo; el acceso de emergencia lo requiere.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/filter_bar.py" line="+80"/>
        <source>Name, * and ? match any text</source>
        <extracomment>sig_query_changed(StudyQuery): the filter the study table should show. sig_submitted(): the user pressed Enter in a field, after the bar emitted sig_query_changed for the current fields.</extracomment>
        <translation>Nombre, * y ? coinciden con cualquier texto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Patient ID</source>
        <translation>ID del paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>YYYY-MM-DD</source>
        <translation>AAAA-MM-DD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CT, MR ...</source>
        <translation>CT, MR ...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accession number</source>
        <translation>Número de acceso</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Study description, * and ?</source>
        <translation>Descripción del estudio, * y ?</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Study date from (inclusive)</source>
        <translation>Fecha del estudio desde (incluida)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date to (inclusive)</source>
        <translation>Fecha del estudio hasta (incluida)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>I&amp;D:</source>
        <translation>I&amp;D:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Birth date:</source>
        <translation>Fecha de na&amp;cimiento:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Date from:</source>
        <translation>&amp;Fecha desde:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to:</source>
        <translation>hasta:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Modality:</source>
        <translation>&amp;Modalidad:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Accession:</source>
        <translation>N.º de &amp;acceso:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;escription:</source>
        <translation>D&amp;escripción:</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>A modality is 1 to 16 letters, digits or underscores, such as CT or MR. Separate several with commas.</source>
        <translation>Una modalidad tiene de 1 a 16 letras, dígitos o guiones bajos, como CT o MR. Separe varias con comas.</translation>
    </message>
</context>
<context>
    <name>FrameLoader</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/loader.py" line="+829"/>
        <source>A new copy cannot be retrieved automatically: {reason}</source>
        <extracomment>sig_series_loaded(int, object): generation, `LoadedSeries`. sig_series_failed(int, str): generation, reason. sig_frame_decoded(int, int, object): generation, display index, `FrameImage`. sig_frame_failed(int, int, object): generation, display index, `FrameFailure`. sig_frame_skipped(int, int): generation, display index no longer wanted. sig_first_frame(int, object, object): generation, `FrameRef`, `FrameImage` of the frame decoded before the series order is known. sig_first_frame_failed(int): generation; the series load goes on. sig_series_loaded(object): the `LoadedSeries` of the last `load_series`. sig_series_failed(str): why the series could not be read. sig_frame_ready(int, object): display index and decoded `FrameImage`. sig_frame_failed(int, str): display index and why it could not be decoded. sig_preview_ready(object): the `FrameImage` of the image that is most likely the series&apos; first, decoded before the series order is known. sig_refetch_queued(object): the `RefetchPlan` of a retrieve just queued because a stored file of the series failed its SHA-256 check. Frames decoded in worker processes since this loader was made.</extracomment>
        <translation>No se puede recuperar una copia nueva automáticamente: {reason}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A new copy is being retrieved from {node}.</source>
        <translation>Se está recuperando una copia nueva desde {node}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>It cannot be retrieved again because it was imported from files; import it again from its source.</source>
        <translation>No se puede recuperar de nuevo porque se importó desde archivos; impórtela de nuevo desde su origen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It cannot be retrieved again because no PACS node with AE title {ae_title} is configured; add that node, then reopen the study.</source>
        <translation>No se puede recuperar de nuevo porque no hay ningún nodo PACS configurado con el título AE {ae_title}; añada ese nodo y vuelva a abrir el estudio.</translation>
    </message>
</context>
<context>
    <name>HelpAndSettingsMenus</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="+20"/>
        <source>&amp;Settings...</source>
        <translation>&amp;Configuración...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;About PACS Desktop</source>
        <translation>&amp;Acerca de PACS Desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Modalities read here: {list}</source>
        <translation>Modalidades informadas aquí: {list}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Settings unavailable</source>
        <translation>Configuración no disponible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings cannot be opened: {reason}</source>
        <translation>No se puede abrir la configuración: {reason}</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Record / pause</source>
        <translation>Grabar / pausa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause</source>
        <translation>Reproducir / pausa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind</source>
        <translation>Rebobinar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward</source>
        <translation>Avance rápido</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dictation</source>
        <translation>Dictado</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="+404"/>
        <source>PACS Desktop - locked</source>
        <extracomment>sig_locked(): the window hides its patient data now. sig_locked_by_user(): emitted after `sig_locked` when the user locked the screen on purpose rather than by the idle timeout. sig_unlocked(): the session&apos;s user unlocked; the content is back. sig_switch_user(str): this administrator closes the locked session.</extracomment>
        <translation>PACS Desktop - bloqueado</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>The account is locked after too many wrong passwords. An administrator can close this session below.</source>
        <translation>La cuenta está bloqueada tras demasiadas contraseñas incorrectas. Un administrador puede cerrar esta sesión abajo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Wrong password. Try again.</source>
        <translation>Contraseña incorrecta. Inténtelo de nuevo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The administrator&apos;s name or password is wrong.</source>
        <translation>El nombre o la contraseña del administrador son incorrectos.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Only an administrator can close this session.</source>
        <translation>Solo un administrador puede cerrar esta sesión.</translation>
    </message>
</context>
<context>
    <name>ImportSummaryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/import_summary.py" line="+32"/>
        <source>Import cancelled</source>
        <translation>Importación cancelada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import finished</source>
        <translation>Importación finalizada</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Imported: {imported} files
Duplicates (already in the archive): {duplicates} files
Rejected: {rejected} files
Duplicates that differ from the stored copy: {conflicts} files
Studies with new images: {studies}</source>
        <translation>Importados: {imported} archivos
Duplicados (ya en el archivo): {duplicates} archivos
Rechazados: {rejected} archivos
Duplicados que difieren de la copia almacenada: {conflicts} archivos
Estudios con imágenes nuevas: {studies}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Skipped (not DICOM): {skipped} files</source>
        <translation>Omitidos (no DICOM): {skipped} archivos</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Duplicates that differ from the stored copy:</source>
        <translation>Duplicados que difieren de la copia almacenada:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Rejected files and reasons:</source>
        <translation>Archivos rechazados y motivos:</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+12"/>
        <source>Skipped files (not DICOM):</source>
        <translation>Archivos omitidos (no DICOM):</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../pacs_desktop/ui/security/idle_lock.py" line="-305"/>
        <source>Unlock</source>
        <extracomment>sig_idle(): no input came for the timeout; emitted once per idle period. sig_unlock_requested(str): the password typed to unlock. sig_switch_user_requested(str, str): an administrator&apos;s name and password.</extracomment>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Close session and switch user</source>
        <translation>Cerrar la sesión y cambiar de usuario</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The workstation is locked</source>
        <translation>La estación está bloqueada</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Locked for {user}. Type the password to continue.</source>
        <translation>Bloqueado para {user}. Escriba la contraseña para continuar.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+5"/>
        <source>Password:</source>
        <translation>Contraseña:</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Administrator: switch user</source>
        <translation>Administrador: cambiar de usuario</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Administrator:</source>
        <translation>Administrador:</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Enter the administrator&apos;s user name.</source>
        <translation>Introduzca el nombre de usuario del administrador.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/login.py" line="+73"/>
        <source>User name:</source>
        <translation>Nombre de usuario:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password:</source>
        <translation>Contraseña:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - create administrator</source>
        <translation>PACS Desktop - crear administrador</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No user account exists yet. Choose the name and password of the administrator account; it can add the other users.</source>
        <translation>Aún no existe ninguna cuenta de usuario. Elija el nombre y la contraseña de la cuenta de administrador; podrá añadir los demás usuarios.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Repeat password:</source>
        <translation>Repetir contraseña:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PACS Desktop - log in</source>
        <translation>PACS Desktop - iniciar sesión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to open the workstation.</source>
        <translation>Inicie sesión para abrir la estación.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Enter a user name.</source>
        <translation>Introduzca un nombre de usuario.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Las dos contraseñas no coinciden. Escríbalas de nuevo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The account was not created: {reason}</source>
        <translation>No se ha creado la cuenta: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Login failed: {reason}</source>
        <translation>Error al iniciar sesión: {reason}</translation>
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
        <translation>Sesión iniciada como {user}</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Import &amp;files...</source>
        <translation>Importar &amp;archivos...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import f&amp;older...</source>
        <translation>Importar una &amp;carpeta...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open study</source>
        <translation>&amp;Abrir estudio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Close study</source>
        <translation>&amp;Cerrar estudio</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Find studies</source>
        <translation>&amp;Buscar estudios</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Log out</source>
        <translation>C&amp;errar sesión</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Study</source>
        <translation>&amp;Estudio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Import DICOM files</source>
        <translation>Importar archivos DICOM</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Import a folder of DICOM files</source>
        <translation>Importar una carpeta de archivos DICOM</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Import running</source>
        <translation>Importación en curso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wait for the running import to finish, or cancel it.</source>
        <translation>Espere a que termine la importación en curso o cancélela.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>PACS Desktop - importing</source>
        <translation>PACS Desktop - importando</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Importing</source>
        <translation>Importación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Looking for DICOM files...</source>
        <translation>Buscando archivos DICOM...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Importing: {done} files</source>
        <translation>Importando: {done} archivos</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Importing file {done} of {total}</source>
        <translation>Importando el archivo {done} de {total}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Importing file {done}</source>
        <translation>Importando el archivo {done}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelling...</source>
        <translation>Cancelando...</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Import finished: {imported} imported, {rejected} rejected</source>
        <translation>Importación finalizada: {imported} importados, {rejected} rechazados</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Import failed</source>
        <translation>Error en la importación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The import stopped: {reason}</source>
        <translation>La importación se ha detenido: {reason}</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Not allowed</source>
        <translation>No permitido</translation>
    </message>
</context>
<context>
    <name>NetworkService</name>
    <message>
        <location filename="../pacs_desktop/ui/network/service.py" line="+380"/>
        <source>The storage SCP is not running: no PACS node and no sending AE title is configured.</source>
        <extracomment>sig_echo_finished(str, bool, str): node name, success, and a message (the round trip, or the reason of the failure in plain words). sig_studies_found(int, list): request number and its RemoteStudy list. sig_search_failed(int, str): request number and the reason. sig_series_found(str, list): study UID and its SeriesRecord list. sig_series_failed(str, str): study UID and the reason. sig_jobs_changed(list): every SyncJob of the queue, oldest first. sig_job_progress(JobProgressReport): progress of a running job. sig_job_finished(SyncJob): a job ended an attempt. sig_job_queued(str): a retrieve or send requested here was queued; the job kind, ``&quot;retrieve&quot;`` or ``&quot;send&quot;``. sig_error(str): a queue change failed; the reason in plain words. sig_instance_received(str): the storage SCP stored an instance of this study UID. sig_scp_state(bool, str): whether the storage SCP listens, and why not. The local archive&apos;s record of each job&apos;s study, by Study Instance UID, read with the job list that `sig_jobs_changed` delivered last.</extracomment>
        <translation>El SCP de almacenamiento no está en marcha: no hay ningún nodo PACS ni título AE emisor configurado.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The storage SCP is not running, so this workstation receives no images: {reason}</source>
        <translation>El SCP de almacenamiento no está en marcha, por lo que esta estación no recibe imágenes: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Storage SCP {ae_title} listening on port {port}</source>
        <translation>SCP de almacenamiento {ae_title} escuchando en el puerto {port}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Storage SCP {ae_title} listening on port {port}; it restarts with the new settings when the running jobs end</source>
        <translation>SCP de almacenamiento {ae_title} escuchando en el puerto {port}; se reiniciará con la nueva configuración cuando terminen los trabajos en curso</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>C-ECHO succeeded in {ms:.0f} ms</source>
        <translation>C-ECHO correcto en {ms:.0f} ms</translation>
    </message>
</context>
<context>
    <name>NetworkUi</name>
    <message>
        <location filename="../pacs_desktop/ui/network/integration.py" line="+215"/>
        <source>S&amp;ource:</source>
        <translation>&amp;Origen:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send &amp;to</source>
        <translation>Enviar &amp;a</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Send the selected study, or its selected series, to a PACS</source>
        <translation>Enviar el estudio seleccionado, o sus series seleccionadas, a un PACS</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Local archive</source>
        <translation>Archivo local</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PACS {name} ({ae_title})</source>
        <translation>PACS {name} ({ae_title})</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>&amp;Network</source>
        <translation>&amp;Red</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Sync queue</source>
        <translation>Cola de &amp;sincronización</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Restart storage SCP</source>
        <translation>&amp;Reiniciar el SCP de almacenamiento</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Select a study to send.</source>
        <translation>Seleccione un estudio para enviar.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Send to {node} queued.</source>
        <translation>Envío a {node} en cola.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Job {id} done: {description}</source>
        <translation>Trabajo {id} terminado: {description}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Job {id} {state}: {description}</source>
        <translation>Trabajo {id} {state}: {description}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A stored image failed its integrity check: retrieve job {id} fetches a new copy from {node}.</source>
        <translation>Una imagen almacenada no superó la comprobación de integridad: la tarea de recuperación {id} trae una copia nueva desde {node}.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Storage SCP not running</source>
        <translation>SCP de almacenamiento detenido</translation>
    </message>
</context>
<context>
    <name>NodePage</name>
    <message>
        <location filename="../pacs_desktop/ui/network/node_page.py" line="+96"/>
        <source>Name</source>
        <extracomment>sig_nodes_changed(): the stored PACS nodes changed. sig_nodes_changed(): a node was added, updated or removed here.</extracomment>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title</source>
        <translation>Título AE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with</source>
        <translation>Recuperar con</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>&amp;Add node</source>
        <translation>&amp;Añadir nodo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Update node</source>
        <translation>A&amp;ctualizar nodo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Store the form over the selected node</source>
        <translation>Sobrescribir el nodo seleccionado con los datos del formulario</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Remove node</source>
        <translation>&amp;Quitar nodo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>AE title:</source>
        <translation>Título AE:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retrieve with:</source>
        <translation>Recuperar con:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add; Update node keeps them. Node changes are stored at once.</source>
        <translation>Los certificados TLS y las frases de paso de las claves se configuran con la orden pacs-desktop node add; Actualizar nodo los conserva. Los cambios en los nodos se guardan de inmediato.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>C-GET, else C-MOVE</source>
        <translation>C-GET, si no C-MOVE</translation>
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
        <translation>Definido por el perfil del centro</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Node not read</source>
        <translation>Nodo no leído</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Node not added</source>
        <translation>Nodo no añadido</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Node not updated</source>
        <translation>Nodo no actualizado</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Node not removed</source>
        <translation>Nodo no eliminado</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Correct these fields and try again:</source>
        <translation>Corrija estos campos e inténtelo de nuevo:</translation>
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
        <translation>Imagen {number} / {count}</translation>
    </message>
    <message>
        <source>Position {mm:.1f} mm</source>
        <translation type="vanished">Posición {mm:.1f} mm</translation>
    </message>
    <message>
        <source>Thickness {mm:.1f} mm</source>
        <translation type="vanished">Grosor {mm:.1f} mm</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Position {mm} mm</source>
        <translation>Posición {mm} mm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thickness {mm} mm</source>
        <translation>Grosor {mm} mm</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>C {center:.0f} W {width:.0f}</source>
        <translation>C {center:.0f} A {width:.0f}</translation>
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
        <translation>Esta serie no contiene imágenes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No image of this series can be shown.</source>
        <translation>No se puede mostrar ninguna imagen de esta serie.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gap or uneven slice spacing after image {numbers}.</source>
        <translation>Hueco o espaciado irregular de cortes tras la imagen {numbers}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Uneven slice spacing in this series.</source>
        <translation>Espaciado irregular de cortes en esta serie.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n file(s) of this series cannot be read.</source>
        <translation>
            <numerusform>%n archivo de esta serie no se puede leer.</numerusform>
            <numerusform>%n archivos de esta serie no se pueden leer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PasswordFields</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="-76"/>
        <source>Password:</source>
        <translation>Contraseña:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat password:</source>
        <translation>Repetir contraseña:</translation>
    </message>
</context>
<context>
    <name>PatientBanner</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/banner.py" line="+53"/>
        <source>(no name)</source>
        <translation>(sin nombre)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID: {patient_id}</source>
        <translation>ID: {patient_id}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Born: {birth_date}</source>
        <translation>Nac.: {birth_date}</translation>
    </message>
</context>
<context>
    <name>PlayerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/player_widget.py" line="+80"/>
        <location line="+185"/>
        <source>Play</source>
        <extracomment>sig_loaded(object): the Player created for a file loaded by `load_file`. sig_error(str): a message about audio that failed to load or play.</extracomment>
        <translation>Reproducir</translation>
    </message>
    <message>
        <location line="-184"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back 3 s</source>
        <translation>Retroceder 3 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forward 3 s</source>
        <translation>Avanzar 3 s</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Loading the dictation...</source>
        <translation>Cargando el dictado...</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Speed changes the pitch: no pitch-preserving time-stretching library is installed.</source>
        <translation>La velocidad cambia el tono: no hay instalada ninguna biblioteca de estiramiento temporal que conserve el tono.</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
</context>
<context>
    <name>RecorderPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/recorder_panel.py" line="+139"/>
        <location line="+162"/>
        <source>No study open</source>
        <extracomment>sig_recording_started(object): the Dictation just bound and recording. sig_recording_finished(object): the Dictation after recording ended. sig_error(str): a message the user must see (no device, full disk ...). sig_switch_asked(object): the dialog asking what to do after a study switch. The study the running or paused recording is bound to.</extracomment>
        <translation>Ningún estudio abierto</translation>
    </message>
    <message>
        <location line="-157"/>
        <source>Routine</source>
        <translation>Rutina</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgent</source>
        <translation>Urgente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>STAT</source>
        <translation>Emergencia (STAT)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+422"/>
        <source>Record</source>
        <translation>Grabar</translation>
    </message>
    <message>
        <location line="-421"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Append at the end</source>
        <translation>Añadir al final</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert at position</source>
        <translation>Insertar en la posición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overwrite from position</source>
        <translation>Sobrescribir desde la posición</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Insert and overwrite apply to a paused recording. Pause, choose the mode and position, then press Continue recording.</source>
        <translation>Insertar y sobrescribir se aplican a una grabación en pausa. Pause, elija el modo y la posición y pulse Continuar la grabación.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Microphone</source>
        <translation>Micrófono</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>System default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> (default)</source>
        <translation> (predeterminado)</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Study: {name}, {accession}</source>
        <translation>Estudio: {name}, {accession}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Study: {name}</source>
        <translation>Estudio: {name}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This recording belongs to {name} (ID {patient_id}), study of {date} {description}, accession {accession}, not to the study on screen.</source>
        <translation>Esta grabación pertenece a {name} (ID {patient_id}), estudio del {date} {description}, n.º de acceso {accession}, no al estudio en pantalla.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Recording paused</source>
        <translation>Grabación en pausa</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The study was closed while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>Se cerró el estudio mientras dictaba. La grabación está en pausa y sigue vinculada al estudio en el que se inició.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another study was opened while you were dictating. The recording is paused and stays attached to the study it was started on.</source>
        <translation>Se abrió otro estudio mientras dictaba. La grabación está en pausa y sigue vinculada al estudio en el que se inició.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Continue on the original study</source>
        <translation>Continuar en el estudio original</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stop recording</source>
        <translation>Detener la grabación</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Open a study before recording.</source>
        <translation>Abra un estudio antes de grabar.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Recording paused because the screen was locked. Press Continue recording to go on.</source>
        <translation>Grabación en pausa porque se bloqueó la pantalla. Pulse Continuar la grabación para seguir.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The maximum dictation length was reached.</source>
        <translation>Se ha alcanzado la duración máxima del dictado.</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Continue recording</source>
        <translation>Continuar la grabación</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/recovery_dialog.py" line="+61"/>
        <source>Recovered recordings</source>
        <extracomment>sig_kept(object): the Dictation just kept, now a finished recording. sig_discarded(object): the Dictation just discarded.</extracomment>
        <translation>Grabaciones recuperadas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep for transcription</source>
        <translation>Conservar para la transcripción</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decide later</source>
        <translation>Decidir más tarde</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>These recordings were interrupted (a crash or a power cut) and were recovered. Each stays attached to its study.</source>
        <translation>Estas grabaciones se interrumpieron (un fallo o un corte de luz) y se recuperaron. Cada una sigue vinculada a su estudio.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{started}: {length}, patient {name} (ID {patient_id}), study of {date} {description}, accession {accession}</source>
        <translation>{started}: {length}, paciente {name} (ID {patient_id}), estudio del {date} {description}, n.º de acceso {accession}</translation>
    </message>
    <message>
        <source>{started}: {length}, accession {accession}</source>
        <translation type="vanished">{started}: {length}, acceso {accession}</translation>
    </message>
</context>
<context>
    <name>RemoteBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/network/remote_browser.py" line="+119"/>
        <source>&amp;Search</source>
        <extracomment>sig_studies_shown(int): a search finished and shows this many studies. sig_series_shown(int): the series list of the current study is filled. sig_open_requested(StudyRecord): open this study, which is fully local.</extracomment>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Retrieve study</source>
        <translation>&amp;Recuperar estudio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retrieve selected s&amp;eries</source>
        <translation>Recuperar las s&amp;eries seleccionadas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Open local copy</source>
        <translation>&amp;Abrir la copia local</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Series on the PACS</source>
        <translation>Series en el PACS</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Press Enter or Search to query {node}.</source>
        <translation>Pulse Intro o Buscar para consultar {node}.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Searching {node}...</source>
        <translation>Buscando en {node}...</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n study(s) found on {node}</source>
        <translation>
            <numerusform>%n estudio encontrado en {node}</numerusform>
            <numerusform>%n estudios encontrados en {node}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+68"/>
        <source>{number}{modality} {description} (%n image(s))</source>
        <translation>
            <numerusform>{number}{modality} {description} (%n imagen)</numerusform>
            <numerusform>{number}{modality} {description} (%n imágenes)</numerusform>
        </translation>
    </message>
    <message>
        <source>{count} studies found on {node}</source>
        <translation type="vanished">{count} estudios encontrados en {node}</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Search failed: {reason}</source>
        <translation>La búsqueda ha fallado: {reason}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Loading series...</source>
        <translation>Cargando series...</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Series not listed: {reason}</source>
        <translation>Series no listadas: {reason}</translation>
    </message>
    <message>
        <source>{number}{modality} {description} ({count} images)</source>
        <translation type="vanished">{number}{modality} {description} ({count} imágenes)</translation>
    </message>
    <message>
        <location line="+37"/>
        <location line="+11"/>
        <source>Retrieve queued; the sync panel shows its progress.</source>
        <translation>Recuperación en cola; el panel de sincronización muestra su progreso.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This study is not in the local archive; retrieve it first.</source>
        <translation>Este estudio no está en el archivo local; recupérelo primero.</translation>
    </message>
</context>
<context>
    <name>RemoteStudyModel</name>
    <message>
        <location line="-264"/>
        <source>{total} ({local} local)</source>
        <translation>{total} ({local} locales)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{local} of {total} instances are in the local archive</source>
        <translation>{local} de {total} instancias están en el archivo local</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not in the local archive</source>
        <translation>No está en el archivo local</translation>
    </message>
</context>
<context>
    <name>ReportEditor</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/report_editor.py" line="+137"/>
        <source>Patient</source>
        <extracomment>sig_signed(object): the Report version just signed. sig_changed(object): the Report after a save or a state change.</extracomment>
        <translation>Paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Estudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>N.º de acceso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark transcribed</source>
        <translation>Marcar como transcrito</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mark corrected</source>
        <translation>Marcar como corregido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sign...</source>
        <translation>Firmar...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amend</source>
        <translation>Enmendar</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>You may no longer change this text.</source>
        <translation>Ya no puede modificar este texto.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This dictation is no longer claimed by you; claim it again to type.</source>
        <translation>Este dictado ya no está asignado a usted; asígneselo de nuevo para escribir.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{user} is transcribing this dictation now; only that user can change its text.</source>
        <translation>{user} está transcribiendo este dictado ahora; solo ese usuario puede cambiar su texto.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{state}, version {version}</source>
        <translation>{state}, versión {version}</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Signed.</source>
        <translation>Firmado.</translation>
    </message>
    <message>
        <location line="-246"/>
        <location line="+131"/>
        <source>Open a dictation to type its report</source>
        <translation>Abra un dictado para escribir su informe</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+97"/>
        <source>Reset the password of {name}</source>
        <translation>Restablecer la contraseña de {name}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The two passwords differ. Type them again.</source>
        <translation>Las dos contraseñas no coinciden. Escríbalas de nuevo.</translation>
    </message>
</context>
<context>
    <name>RestrictionActions</name>
    <message>
        <location filename="../pacs_desktop/ui/security/restriction_actions.py" line="+54"/>
        <source>&amp;Restrict study...</source>
        <translation>&amp;Restringir estudio...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lift restriction</source>
        <translation>&amp;Levantar restricción</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Restrict study</source>
        <translation>Restringir estudio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only a radiologist who states a reason for emergency access will open this study. Why is it restricted (for example: staff member, VIP)?</source>
        <translation>Solo un radiólogo que indique un motivo de acceso de emergencia podrá abrir este estudio. ¿Por qué se restringe (por ejemplo: miembro del personal, VIP)?</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Study restriction not changed</source>
        <translation>Restricción del estudio no modificada</translation>
    </message>
</context>
<context>
    <name>SecurityControls</name>
    <message>
        <location filename="../pacs_desktop/ui/security/controls.py" line="+153"/>
        <source>&amp;Users...</source>
        <translation>&amp;Usuarios...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Audit trail...</source>
        <translation>Registro de &amp;auditoría...</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Lock screen</source>
        <translation>&amp;Bloquear la pantalla</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Se&amp;curity</source>
        <translation>Se&amp;guridad</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Not allowed</source>
        <translation>No permitido</translation>
    </message>
</context>
<context>
    <name>SeriesList</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/series_list.py" line="+72"/>
        <source>This series contains no images.</source>
        <extracomment>sig_series_selected(str): key of the series the user chose.</extracomment>
        <translation>Esta serie no contiene imágenes.</translation>
    </message>
    <message numerus="yes">
        <location line="+38"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n imagen</numerusform>
            <numerusform>%n imágenes</numerusform>
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
        <translation>Forma de onda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report</source>
        <translation>Informe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key images</source>
        <translation>Imágenes clave</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presentation state</source>
        <translation>Estado de presentación</translation>
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
{count} imágenes</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No preview: {reason}</source>
        <translation>Sin vista previa: {reason}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/settings_dialog.py" line="+101"/>
        <source>Settings</source>
        <extracomment>sig_applied(list): the setting keys whose values were stored.</extracomment>
        <translation>Configuración</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PACS nodes</source>
        <translation>Nodos PACS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Storage SCP</source>
        <translation>SCP de almacenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local archive</source>
        <translation>Archivo local</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display</source>
        <translation>Visualización</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dictation</source>
        <translation>Dictado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation type="vanished">Título AE</translation>
    </message>
    <message>
        <source>Host</source>
        <translation type="vanished">Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="vanished">Puerto</translation>
    </message>
    <message>
        <source>Retrieve</source>
        <translation type="vanished">Recuperación</translation>
    </message>
    <message>
        <source>C-GET, else C-MOVE</source>
        <translation type="vanished">C-GET, si no C-MOVE</translation>
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
        <translation type="vanished">&amp;Añadir nodo</translation>
    </message>
    <message>
        <source>&amp;Remove node</source>
        <translation type="vanished">&amp;Quitar nodo</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation type="vanished">Nombre:</translation>
    </message>
    <message>
        <location line="-76"/>
        <source>AE title:</source>
        <translation>Título AE:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation type="vanished">Host:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <source>Retrieve with:</source>
        <translation type="vanished">Recuperar con:</translation>
    </message>
    <message>
        <source>TLS certificates and key passphrases are set with the command pacs-desktop node add. Node changes are stored at once.</source>
        <translation type="vanished">Los certificados TLS y las frases de paso de las claves se configuran con la orden pacs-desktop node add. Los cambios en los nodos se guardan de inmediato.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CT1, MR_2 ...</source>
        <translation>CT1, MR_2 ...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also accept images from:</source>
        <translation>Aceptar también imágenes de:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The data directory</source>
        <translation>El directorio de datos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse...</source>
        <translation>&amp;Examinar...</translation>
    </message>
    <message>
        <location line="+7"/>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No limit</source>
        <translation>Sin límite</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Oldest study date first</source>
        <translation>Estudio más antiguo primero</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least recently opened first</source>
        <translation>El abierto hace más tiempo primero</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Largest study first</source>
        <translation>Estudio más grande primero</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Location:</source>
        <translation>Ubicación:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size limit:</source>
        <translation>Límite de tamaño:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When full, remove:</source>
        <translation>Si está lleno, eliminar:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All modalities</source>
        <translation>Todas las modalidades</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One image</source>
        <translation>Una imagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two side by side</source>
        <translation>Dos en paralelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Two stacked</source>
        <translation>Dos apiladas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Four (2 x 2)</source>
        <translation>Cuatro (2 x 2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dark (reading room)</source>
        <translation>Oscuro (sala de lectura)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Modalities read here:</source>
        <translation>Modalidades informadas aquí:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default layout:</source>
        <translation>Disposición predeterminada:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme:</source>
        <translation>Tema:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Window presets per modality:</source>
        <translation>Ajustes de ventana por modalidad:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Modality</source>
        <translation>Modalidad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Centre</source>
        <translation>Centro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Width</source>
        <translation>Anchura</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;preset</source>
        <translation>Añadir &amp;ajuste</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove preset</source>
        <translation>Quitar ajuste</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>System default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Microphone:</source>
        <translation>Micrófono:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Record / pause:</source>
        <translation>Grabar / pausa:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play / pause:</source>
        <translation>Reproducir / pausa:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop:</source>
        <translation>Detener:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewind:</source>
        <translation>Rebobinar:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fast forward:</source>
        <translation>Avance rápido:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maximum length:</source>
        <translation>Duración máxima:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send dictations and reports to PACS node:</source>
        <translation>Enviar dictados e informes al nodo PACS:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(none: keep in the local archive)</source>
        <translation>(ninguno: conservar en el archivo local)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name} (no such PACS node)</source>
        <translation>{name} (no existe ese nodo PACS)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Dictations and reports are set to be sent to the PACS node {name}, which does not exist.

Choose a configured node, add {name} on the PACS nodes page, or choose to keep them in the local archive.</source>
        <translation>Los dictados e informes están configurados para enviarse al nodo PACS {name}, que no existe.

Elija un nodo configurado, añada {name} en la página Nodos PACS o elija conservarlos en el archivo local.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lock the screen after:</source>
        <translation>Bloquear la pantalla tras:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Failed logins before lockout:</source>
        <translation>Inicios de sesión fallidos antes del bloqueo:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Until an administrator unlocks</source>
        <translation>Hasta que un administrador desbloquee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lockout duration:</source>
        <translation>Duración del bloqueo:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minimum password length:</source>
        <translation>Longitud mínima de la contraseña:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> characters</source>
        <translation> caracteres</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new language applies when PACS Desktop starts next.</source>
        <translation>Un idioma nuevo se aplica la próxima vez que se inicie PACS Desktop.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Set by the site profile {name}</source>
        <translation>Definido por el perfil del centro {name}</translation>
    </message>
    <message>
        <location line="-69"/>
        <location line="+223"/>
        <source>Invalid setting</source>
        <translation>Configuración no válida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{reason}

Correct the value and try again.</source>
        <translation>{reason}

Corrija el valor e inténtelo de nuevo.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Local archive folder</source>
        <translation>Carpeta del archivo local</translation>
    </message>
    <message>
        <source>Set by the site profile</source>
        <translation type="vanished">Definido por el perfil del centro</translation>
    </message>
    <message>
        <source>Node not added</source>
        <translation type="vanished">Nodo no añadido</translation>
    </message>
    <message>
        <source>Node not removed</source>
        <translation type="vanished">Nodo no eliminado</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-336"/>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Main window</source>
        <translation>Ventana principal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image viewer</source>
        <translation>Visor de imágenes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/report_editor.py" line="-211"/>
        <source>Sign the report</source>
        <translation>Firmar el informe</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sign</source>
        <translation>Firmar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type your password to sign. Signing is final.</source>
        <translation>Escriba su contraseña para firmar. La firma es definitiva.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Wrong password; nothing was signed.</source>
        <translation>Contraseña incorrecta; no se ha firmado nada.</translation>
    </message>
</context>
<context>
    <name>StudyAccessGate</name>
    <message>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist or an administrator.</source>
        <translation type="vanished">Este estudio está restringido y su rol no tiene acceso de emergencia. Consulte a un radiólogo o a un administrador.</translation>
    </message>
    <message>
        <location filename="../pacs_desktop/ui/security/emergency_dialog.py" line="+114"/>
        <source>Not allowed</source>
        <translation>No permitido</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>This study is restricted. To open it, lift the restriction: right-click the study in the study list and choose Lift restriction.</source>
        <translation>Este estudio está restringido. Para abrirlo, levante la restricción: haga clic con el botón derecho en el estudio en la lista de estudios y elija Levantar restricción.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This study is restricted, and your role has no emergency access. Ask a radiologist to open it with emergency access, or an administrator to lift the restriction.</source>
        <translation>Este estudio está restringido y su rol no tiene acceso de emergencia. Pida a un radiólogo que lo abra con acceso de emergencia, o a un administrador que levante la restricción.</translation>
    </message>
</context>
<context>
    <name>StudyBrowser</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/browser_widget.py" line="+176"/>
        <source>&amp;Refresh study list</source>
        <extracomment>sig_open_requested(): the user pressed Enter or double-clicked a row. sig_open_requested(StudyRecord): the user asked to open this study. sig_studies_shown(int): the table was refilled; the number of studies loaded (the first page, or every match when the sort needs them all).</extracomment>
        <translation>Ac&amp;tualizar la lista de estudios</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+6"/>
        <source>No search: {reason}</source>
        <translation>Sin búsqueda: {reason}</translation>
    </message>
</context>
<context>
    <name>StudyDictationsPanel</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/study_dictations.py" line="+118"/>
        <source>No signed report</source>
        <extracomment>sig_listed(object): the StudyDictations now shown. sig_audio_loaded(object): the Player of the selected dictation. sig_dictation_opened(object): the Dictation whose audio is being loaded for playback. sig_report_signed(object): the amended Report version just signed, to be archived and sent like any signed report.</extracomment>
        <translation>Ningún informe firmado</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+134"/>
        <source>Amend report</source>
        <translation>Enmendar el informe</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>Dictations of this study</source>
        <translation>Dictados de este estudio</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signed report</source>
        <translation>Informe firmado</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>{author}, {started}, {length}, {state}</source>
        <translation>{author}, {started}, {length}, {state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown author</source>
        <translation>autor desconocido</translation>
    </message>
</context>
<context>
    <name>StudyTableModel</name>
    <message>
        <location filename="../pacs_desktop/ui/browser/study_model.py" line="+63"/>
        <source>Patient name</source>
        <translation>Nombre del paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID del paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Birth date</source>
        <translation>Fecha de nacimiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Sexo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study date</source>
        <translation>Fecha del estudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modalities</source>
        <translation>Modalidades</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accession</source>
        <translation>N.º de acceso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Series</source>
        <translation>Series</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images</source>
        <translation>Imágenes</translation>
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
        <translation>{count} series</translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Sync queue</source>
        <extracomment>sig_jobs_shown(int): the table was refilled with this many jobs.</extracomment>
        <translation>Cola de sincronización</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Retry</source>
        <translation>&amp;Reintentar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ca&amp;ncel job</source>
        <translation>Ca&amp;ncelar trabajo</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Job</source>
        <translation>Trabajo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study or series</source>
        <translation>Estudio o serie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Storage commitment</source>
        <translation type="vanished">Compromiso de almacenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commitment</source>
        <translation>Compromiso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Instances</source>
        <translation>Instancias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MB/s</source>
        <translation>MB/s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next attempt</source>
        <translation>Próximo intento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Storage commitment: whether the PACS confirmed that it keeps the instances sent</source>
        <translation>Compromiso de almacenamiento: si el PACS confirmó que conserva las instancias enviadas</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Retrieve</source>
        <translation>Recuperación</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{attempts} of {limit}</source>
        <translation>{attempts} de {limit}</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>committed</source>
        <translation>confirmado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not supported</source>
        <translation>no admitido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no report</source>
        <translation>sin informe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed for {count} instances</source>
        <translation>fallido para {count} instancias</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>waiting</source>
        <translation>en espera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running</source>
        <translation>en curso</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>terminado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{done} of {total}</source>
        <translation>{done} de {total}</translation>
    </message>
</context>
<context>
    <name>TranscriptionWindow</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/desk.py" line="-248"/>
        <source>Transcription worklist</source>
        <translation>Lista de transcripción</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The report is signed.</source>
        <translation>El informe está firmado.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The study of this dictation is not in the local archive.</source>
        <translation>El estudio de este dictado no está en el archivo local.</translation>
    </message>
</context>
<context>
    <name>UserManagementDialog</name>
    <message>
        <location filename="../pacs_desktop/ui/security/users_dialog.py" line="+30"/>
        <source>Users</source>
        <translation>Usuarios</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>Desactivado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Locked</source>
        <translation>Bloqueado</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add user...</source>
        <translation>Añadir usuario...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable</source>
        <translation>Desactivar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable</source>
        <translation>Activar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset password...</source>
        <translation>Restablecer la contraseña...</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set role</source>
        <translation>Asignar rol</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>New role:</source>
        <translation>Nuevo rol:</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>until {time}</source>
        <translation>hasta {time}</translation>
    </message>
</context>
<context>
    <name>ViewerKeyNames</name>
    <message>
        <location filename="../pacs_desktop/ui/help_dialogs.py" line="-49"/>
        <source>Wheel</source>
        <translation>Rueda del ratón</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Right drag</source>
        <translation>Arrastrar con el botón derecho</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Left or middle drag</source>
        <translation>Arrastrar con el botón izquierdo o central</translation>
    </message>
</context>
<context>
    <name>ViewerShortcuts</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/shortcuts.py" line="+135"/>
        <source>Next / previous image</source>
        <translation>Imagen siguiente / anterior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous / next image</source>
        <translation>Imagen anterior / siguiente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>10 images back / forward</source>
        <translation>10 imágenes atrás / adelante</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>First / last image</source>
        <translation>Primera / última imagen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Window: horizontal is width, vertical is centre</source>
        <translation>Ventana: horizontal es la anchura, vertical el centro</translation>
    </message>
    <message>
        <source>CT window presets</source>
        <translation type="vanished">Ajustes de ventana de TC</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Window presets of the series&apos; modality</source>
        <translation>Ajustes de ventana de la modalidad de la serie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The file&apos;s own window</source>
        <translation>La ventana del propio archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in / out</source>
        <translation>Acercar / alejar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pan</source>
        <translation>Desplazar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit to the window</source>
        <translation>Ajustar a la ventana</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actual size (1:1)</source>
        <translation>Tamaño real (1:1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Invert</source>
        <translation>Invertir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rotate 90 degrees clockwise</source>
        <translation>Girar 90 grados en sentido horario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flip horizontally / vertically</source>
        <translation>Voltear horizontal / verticalmente</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset view: fit, no rotation, flip or inversion, the file&apos;s window</source>
        <translation>Restablecer la vista: ajustada, sin rotación, volteo ni inversión, con la ventana del archivo</translation>
    </message>
</context>
<context>
    <name>ViewerWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/viewer_widget.py" line="+231"/>
        <source>This study contains no images.</source>
        <extracomment>sig_frame_changed(int): display index (from 0) of the image now shown. sig_window_changed(float, float): centre and width of the window now applied, in modality units. sig_series_loaded(int): number of images of the series just read. sig_message(str): a notice shown over the image for a few seconds, such as why a preset key did nothing, for a status bar to repeat.</extracomment>
        <translation>Este estudio no contiene imágenes.</translation>
    </message>
    <message>
        <location line="+237"/>
        <source>The series cannot be read: {reason}</source>
        <translation>No se puede leer la serie: {reason}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Image {number} cannot be shown: {reason}</source>
        <translation>No se puede mostrar la imagen {number}: {reason}</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Inverted</source>
        <translation>Invertido</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>No window preset on key {key} for {modality}.</source>
        <translation>Ningún ajuste de ventana en la tecla {key} para {modality}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for {modality}; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>No hay ajustes de ventana para {modality}; se definen en Herramientas &gt; Configuración &gt; Visualización.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No window presets for this series; Tools &gt; Settings &gt; Display defines them.</source>
        <translation>No hay ajustes de ventana para esta serie; se definen en Herramientas &gt; Configuración &gt; Visualización.</translation>
    </message>
</context>
<context>
    <name>WindowPresets</name>
    <message>
        <location filename="../pacs_desktop/ui/viewer/presets.py" line="+21"/>
        <source>Brain</source>
        <translation>Cerebro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subdural</source>
        <translation>Subdural</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stroke</source>
        <translation>Ictus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lung</source>
        <translation>Pulmón</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mediastinum</source>
        <translation>Mediastino</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abdomen</source>
        <translation>Abdomen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Liver</source>
        <translation>Hígado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bone</source>
        <translation>Hueso</translation>
    </message>
</context>
<context>
    <name>WorklistWidget</name>
    <message>
        <location filename="../pacs_desktop/ui/dictation/worklist.py" line="+61"/>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient ID</source>
        <translation>ID del paciente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Study</source>
        <translation>Estudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked by</source>
        <translation>Bloqueado por</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded</source>
        <translation>Grabado el</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length</source>
        <translation>Duración</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last change</source>
        <translation>Último cambio</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Claim</source>
        <extracomment>sig_open_requested(object): the Dictation the user wants to work on. sig_changed(object): a Dictation after a claim or release by this widget. sig_selection_changed(object): the selected Dictation, or None when no row is selected; also emitted when a refresh changed the selected row. Asks whether to release another user&apos;s claim; tests replace it.</extracomment>
        <translation>Asignarme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Release</source>
        <translation>Liberar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location line="+164"/>
        <source>Release another user&apos;s claim</source>
        <translation>Liberar la asignación de otro usuario</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{user} is transcribing this dictation. Release the claim so that someone else can transcribe it? Text typed so far stays in the report.</source>
        <translation>{user} está transcribiendo este dictado. ¿Liberar la asignación para que otra persona pueda transcribirlo? El texto escrito hasta ahora se conserva en el informe.</translation>
    </message>
</context>
<context>
    <name>run_gui</name>
    <message>
        <location filename="../pacs_desktop/ui/application.py" line="+199"/>
        <source>PACS Desktop cannot start</source>
        <translation>PACS Desktop no puede iniciarse</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>The data directory {path} cannot be opened: {reason}</source>
        <translation>No se puede abrir el directorio de datos {path}: {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The settings cannot be applied: {reason}

Correct the site profile or the settings file, then start PACS Desktop again.</source>
        <translation>No se puede aplicar la configuración: {reason}

Corrija el perfil del centro o el archivo de configuración y vuelva a iniciar PACS Desktop.</translation>
    </message>
</context>
</TS>
