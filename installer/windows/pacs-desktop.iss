; Inno Setup 6 script for the Windows installer. Not built by this repository's
; CI: build the one-folder bundle on Windows first with
;   python installer\build.py
; which runs installer\pacs-desktop.spec and writes dist\pacs-desktop\ (the
; executable, _internal\, LICENSE and THIRD-PARTY-LICENSES), then compile this
; script with ISCC.exe installer\windows\pacs-desktop.iss from the repository root.
;
; Keep in step with installer/pacs-desktop.spec: the name, the version (that of
; pacs_desktop/__init__.py) and the licence files. tests/installer checks them.

#define AppName "PACS Desktop"
#define AppVersion "0.1.0"
#define AppPublisher "The PACS Desktop developers"
#define AppExeName "pacs-desktop.exe"

[Setup]
; A fixed AppId lets later versions upgrade this installation in place.
AppId={{5C2A7E4B-8F31-4D6A-9B0E-2F7C1D9A4E63}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\PACS Desktop
DefaultGroupName={#AppName}
LicenseFile=..\..\LICENSE
OutputDir=..\..\dist
OutputBaseFilename=pacs-desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Administrators install for all users of the workstation; each user's data
; (archive, logs) stays in that user's own application data folder.
PrivilegesRequired=admin
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole bundle: executable, _internal\ (Python, Qt plugins, codecs, GDCM's
; dictionaries, pydicom's data, the package resources and translations),
; LICENSE and THIRD-PARTY-LICENSES.
Source: "..\..\dist\pacs-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{group}\Third-party licences"; Filename: "{app}\THIRD-PARTY-LICENSES"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
