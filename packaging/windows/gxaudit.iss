; Inno Setup script for gxaudit (Windows).  Build on a Windows host after
; `python packaging/build.py` has produced dist\gxaudit\ and build\icons\:
;     iscc /DAppVersion=0.1.0 packaging\windows\gxaudit.iss
;
; * Per-user install, no administrator rights (government PCs rarely grant them).
; * Start-menu entry; optional desktop icon.
; * "Open with gxaudit" for .pdf, .docx, .html and .htm — registered under the
;   user's Classes as an additional handler.  It never takes over the default
;   program for these files.
; * A normal uninstaller (Settings → Apps) that removes all of the above.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "gxaudit"
#define AppExe "gxaudit.exe"
#define ProgId "gxaudit.Report"

[Setup]
AppId={{7E0C2A5E-7B1C-4D7F-9E2A-6C1B3F0D9A41}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=gxaudit
DefaultDirName={localappdata}\Programs\gxaudit
DefaultGroupName=gxaudit 年报审核
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=gxaudit-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\gxaudit.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\gxaudit\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\gxaudit 年报审核"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,gxaudit}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\gxaudit 年报审核"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; The application and the types it can open ("Open with" list).
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "gxaudit 年报审核"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".pdf"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".docx"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".html"; ValueData: ""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".htm"; ValueData: ""
; A ProgId offered in each type's OpenWithProgids: listed under "Open with", default untouched.
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueData: "政府信息公开年度报告"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\.pdf\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.docx\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.html\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\.htm\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,gxaudit}"; Flags: nowait postinstall skipifsilent
