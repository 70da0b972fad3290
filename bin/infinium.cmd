@echo off
rem infinium launcher for Windows (cmd.exe): the counterpart of bin/infinium (POSIX sh).
rem
rem   bin\infinium.cmd COMMAND [ARGS...]  ->  java [flags] -jar target\infinium.jar COMMAND [ARGS...]
rem   (in the unpacked bundle, which has no target\: lib\infinium.jar, and never a Maven build)
rem
rem Deliberately simpler than the sh launcher (no JDK search, no AOT cache):
rem  - JVM: %INFINIUM_JAVA%, else %JAVA_HOME%\bin\java.exe, else java.exe on PATH (no search for
rem    a newer JDK, unlike the sh launcher).
rem  - The jar is built with Maven when missing, except for `hook`: an agent must never wait a
rem    minute for a build, so a hook without a jar exits 0 silently.
rem  - The JDK's feature version comes from its `release` file (read in-process, no `java
rem    -version`). On JDK 19+ the class-data archive is
rem      -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=<jar folder>\infinium-<runtime version>.jsa
rem    which the JVM validates against the jar itself (size and mtime) and re-creates when the jar
rem    changes, so it is never stale. It is not affected by JDK-8377932 (the JDK 25.0.3 AOT-cache
rem    bug that the sh launcher works around). The cost: the run that (re)creates it writes it at
rem    exit, about 1 s, once per jar build; `init` is normally that run. JDK 17/18: no archive
rem    (its default CDS archive still applies). Unknown version (no `release` file, e.g. the
rem    Oracle javapath stub): the same flags plus -XX:+IgnoreUnrecognizedVMOptions; should that
rem    JVM be a 17, it starts without any CDS archive (slower, still correct) instead of failing.
rem  - `hook` adds -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData; every command gets
rem    -Xlog:disable -Xlog:all=warning:stderr because JVM warnings go to stdout by default and an
rem    agent reads a hook's stdout. INFINIUM_JAVA_OPTS is appended; INFINIUM_NO_ARCHIVE=1 disables
rem    the archive; INFINIUM_LAUNCHER_DEBUG=1 prints the java command line on stderr.
rem  - Exported for `init`: INFINIUM_LAUNCHER (this file), which it writes into the hook settings.
rem Written with goto instead of ( ) blocks: a %VAR% holding a ")" (C:\Program Files (x86)\...)
rem would end a block early.

setlocal EnableExtensions DisableDelayedExpansion
set "INFINIUM_LAUNCHER=%~f0"
for %%I in ("%~dp0..") do set "IROOT=%%~fI"
set "IJAR=%IROOT%\target\infinium.jar"
if not exist "%IJAR%" if exist "%IROOT%\lib\" set "IJAR=%IROOT%\lib\infinium.jar"
for %%I in ("%IJAR%") do set "IJARDIR=%%~dpI"
set "IHOOK="
if /i "%~1"=="hook" set "IHOOK=1"

rem ---- the jar -------------------------------------------------------------------------------
if exist "%IJAR%" goto :jar_ok
if defined IHOOK exit /b 0
if "%IJAR%"=="%IROOT%\lib\infinium.jar" goto :bundle_incomplete
if not exist "%IROOT%\pom.xml" goto :no_sources
set "IMVN="
for %%M in (mvn.cmd mvn.bat mvn.exe) do if not defined IMVN set "IMVN=%%~$PATH:M"
if not defined IMVN goto :no_mvn
>&2 echo infinium: "%IJAR%" is missing; building it with mvn -q -B -DskipTests package (about a minute)...
pushd "%IROOT%"
call "%IMVN%" -q -B -DskipTests package 1>&2
set "IRC=%ERRORLEVEL%"
popd
if not "%IRC%"=="0" goto :build_failed
if not exist "%IJAR%" goto :build_failed
:jar_ok

rem ---- the JVM -------------------------------------------------------------------------------
set "IJAVA="
if not defined INFINIUM_JAVA goto :java_home
set "IJAVA=%INFINIUM_JAVA:"=%"
goto :java_ok
:java_home
if not defined JAVA_HOME goto :java_path
if exist "%JAVA_HOME:"=%\bin\java.exe" set "IJAVA=%JAVA_HOME:"=%\bin\java.exe"
if defined IJAVA goto :java_ok
:java_path
for %%J in (java.exe) do set "IJAVA=%%~$PATH:J"
if not defined IJAVA goto :no_java
:java_ok

rem ---- its version, from <java home>\release ------------------------------------------------
set "IVER="
set "IRT="
set "IFEAT="
for %%I in ("%IJAVA%") do set "IREL=%%~dpI..\release"
if not exist "%IREL%" goto :version_done
for /f "usebackq tokens=1,* delims==" %%A in ("%IREL%") do if "%%A"=="JAVA_VERSION" set "IVER=%%~B"
for /f "usebackq tokens=1,* delims==" %%A in ("%IREL%") do if "%%A"=="JAVA_RUNTIME_VERSION" set "IRT=%%~B"
if not defined IVER goto :version_done
if not defined IRT set "IRT=%IVER%"
for /f "tokens=1 delims=.-+" %%V in ("%IVER%") do set "IFEAT=%%V"
:version_done

rem ---- flags ---------------------------------------------------------------------------------
set "IFLAGS="
if defined IHOOK set "IFLAGS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
set "IFLAGS=%IFLAGS% -Xlog:disable -Xlog:all=warning:stderr -Xshare:auto"
if not defined INFINIUM_NO_ARCHIVE goto :archive
if "%INFINIUM_NO_ARCHIVE%"=="0" goto :archive
goto :run
:archive
if not defined IFEAT goto :archive_unknown
if %IFEAT% LSS 19 goto :run
set "IFLAGS=%IFLAGS% -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="%IJARDIR%infinium-%IRT%.jsa""
goto :run
:archive_unknown
set "IFLAGS=%IFLAGS% -XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="%IJARDIR%infinium-java.jsa""

:run
if not defined INFINIUM_LAUNCHER_DEBUG goto :exec
echo infinium launcher: "%IJAVA%" %IFLAGS% %INFINIUM_JAVA_OPTS% -jar "%IJAR%" %* 1>&2
:exec
"%IJAVA%" %IFLAGS% %INFINIUM_JAVA_OPTS% -jar "%IJAR%" %*
exit /b %ERRORLEVEL%

rem ---- errors (a hook never fails the agent: exit 0 silently) --------------------------------
:bundle_incomplete
>&2 echo infinium: "%IJAR%" is missing, so this copy of infinium is incomplete: unpack infinium-^<version^>.zip again, into a new folder.
exit /b 1
:no_sources
>&2 echo infinium: "%IJAR%" is missing and "%IROOT%" holds no sources to build it from (no pom.xml): copy the jar back, or install infinium again.
exit /b 1
:no_mvn
>&2 echo infinium: "%IJAR%" is missing and Maven (mvn) is not on PATH to build it. Install Maven and a JDK 17+, then run mvn -q -B -DskipTests package in "%IROOT%".
exit /b 1
:build_failed
>&2 echo infinium: building the jar failed (see the Maven output above); run mvn -B -DskipTests package in "%IROOT%".
exit /b 1
:no_java
if defined IHOOK exit /b 0
>&2 echo infinium: no Java found. Install a JDK 17 or newer, or set INFINIUM_JAVA or JAVA_HOME.
exit /b 1
