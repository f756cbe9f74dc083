@echo off
rem ActCourier: runs the collector that fits this Windows, then says in
rem words how it ended. Saved in Shift_JIS: cmd.exe reads a batch file in
rem the console's code page, and shows the Japanese part only on a
rem Japanese console (code page 932).
setlocal
set "ARCH=%PROCESSOR_ARCHITECTURE%"
if defined PROCESSOR_ARCHITEW6432 set "ARCH=%PROCESSOR_ARCHITEW6432%"
set "EXE=%~dp0collector-win7-386.exe"
if /I "%ARCH%"=="AMD64" set "EXE=%~dp0collector-win7-amd64.exe"
if not exist "%EXE%" (
  set RC=9009
  goto result
)
rem INFO: the collector is asked for its help or version, which collect
rem nothing and exit 0: not "saved". %* stays whole after shift.
set "INFO="
:scan
if "%~1"=="" goto run
if "%~1"=="--help" set "INFO=1"
if "%~1"=="-help" set "INFO=1"
if "%~1"=="-h" set "INFO=1"
if "%~1"=="--h" set "INFO=1"
if "%~1"=="--version" set "INFO=1"
if "%~1"=="-version" set "INFO=1"
shift
goto scan
:run
"%EXE%" %*
set RC=%ERRORLEVEL%
:result
echo.
rem CODE is the exit code; RC, what is said of it.
set "CODE=%RC%"
if "%RC%"=="0" if defined INFO set "RC=info"
set "KNOWN="
for %%c in (0 1 2 3 130 9009 info) do if "%RC%"=="%%c" set "KNOWN=1"
if "%RC%"=="0" echo Result: saved [exit code 0].
if "%RC%"=="0" echo The bundle is on this stick.
if "%RC%"=="info" echo Result: not collected [exit code 0].
if "%RC%"=="info" echo The collector only showed its help
if "%RC%"=="info" echo or version; nothing was saved.
if "%RC%"=="1" echo Result: NOT saved [exit code 1].
if "%RC%"=="1" echo The stick took no bundle: it is full,
if "%RC%"=="1" echo write-protected, pulled out or refused.
if "%RC%"=="1" echo Do what the hint above says.
if "%RC%"=="2" echo Result: NOT saved [exit code 2].
if "%RC%"=="2" echo A setting, an option or an answer
if "%RC%"=="2" echo was wrong.
if "%RC%"=="2" echo Do what the hint above says,
if "%RC%"=="2" echo then run ActCourier again.
if "%RC%"=="2" echo No hint above? Tell central staff
if "%RC%"=="2" echo what the screen shows.
if "%RC%"=="3" echo Result: the collector stopped on a
if "%RC%"=="3" echo fault of its own [exit code 3].
if "%RC%"=="3" echo Take a photo of this screen for
if "%RC%"=="3" echo central staff.
if "%RC%"=="130" echo Result: stopped with Ctrl-C
if "%RC%"=="130" echo [exit code 130]. Nothing was saved.
if "%RC%"=="130" echo Run ActCourier again when ready.
if "%RC%"=="9009" echo Result: the collector is missing
if "%RC%"=="9009" echo from this stick [exit code 9009].
if "%RC%"=="9009" echo Ask central staff for a new stick.
if not defined KNOWN echo Result: the collector ended
if not defined KNOWN echo unexpectedly [exit code %RC%].
if not defined KNOWN echo Tell central staff, and run
if not defined KNOWN echo ActCourier again.
set "CP="
for /f "tokens=2 delims=:" %%p in ('chcp') do set "CP=%%p"
if defined CP set "CP=%CP: =%"
if defined CP set "CP=%CP:.=%"
if "%CP%"=="932" goto ja
goto end
:ja
if "%RC%"=="0" echo 結果: バンドルをこの USB メモリに
if "%RC%"=="0" echo 保存しました [終了コード 0]。
if "%RC%"=="info" echo 結果: 収集していません [終了コード 0]。
if "%RC%"=="info" echo ヘルプかバージョンを出しただけで、
if "%RC%"=="info" echo 何も保存していません。
if "%RC%"=="1" echo 結果: 保存していません [終了コード 1]。
if "%RC%"=="1" echo USB メモリに書き込めませんでした。
if "%RC%"=="1" echo 空きがない・書き込み禁止・抜けた・
if "%RC%"=="1" echo 拒否された、のいずれかです。
if "%RC%"=="1" echo 上に出た対処に従ってください。
if "%RC%"=="2" echo 結果: 保存していません [終了コード 2]。
if "%RC%"=="2" echo 設定か入力に誤りがあります。
if "%RC%"=="2" echo 上に出た対処に従って、
if "%RC%"=="2" echo もう一度実行してください。
if "%RC%"=="2" echo 対処が出ていないときは、
if "%RC%"=="2" echo 画面の内容を本部に連絡してください。
if "%RC%"=="3" echo 結果: 収集プログラムの不具合で
if "%RC%"=="3" echo 停止しました [終了コード 3]。
if "%RC%"=="3" echo この画面を撮影して、
if "%RC%"=="3" echo 本部に送ってください。
if "%RC%"=="130" echo 結果: Ctrl-C で中止しました。
if "%RC%"=="130" echo 何も保存していません [終了コード 130]。
if "%RC%"=="130" echo 準備ができたら、再び実行してください。
if "%RC%"=="9009" echo 結果: この USB メモリには
if "%RC%"=="9009" echo 収集プログラムがありません
if "%RC%"=="9009" echo [終了コード 9009]。
if "%RC%"=="9009" echo 本部に新しい USB メモリを
if "%RC%"=="9009" echo 依頼してください。
if not defined KNOWN echo 結果: 収集プログラムが想定外の
if not defined KNOWN echo 終わり方をしました。
if not defined KNOWN echo [終了コード %RC%]
if not defined KNOWN echo 本部に連絡し、
if not defined KNOWN echo もう一度実行してください。
:end
echo.
pause
exit /b %CODE%
