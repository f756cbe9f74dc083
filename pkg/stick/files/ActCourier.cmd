@echo off
rem ActCourier: runs the collector that fits this Windows.
setlocal
set ARCH=%PROCESSOR_ARCHITECTURE%
if defined PROCESSOR_ARCHITEW6432 set ARCH=%PROCESSOR_ARCHITEW6432%
if /I "%ARCH%"=="AMD64" (
  "%~dp0collector-win7-amd64.exe" %*
) else (
  "%~dp0collector-win7-386.exe" %*
)
set RC=%ERRORLEVEL%
echo.
pause
exit /b %RC%
