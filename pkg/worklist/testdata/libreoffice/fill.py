# Opens the worklist in LibreOffice (UNO, headless), types a CID into the
# ConfirmationId cell of each needs-cid row as a user would (the
# dispatcher's EnterString on the selected cell), saves as xlsx, ods, csv.
import sys, time, subprocess, uno
from com.sun.star.beans import PropertyValue
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
src, outbase, mode = sys.argv[1], sys.argv[2], sys.argv[3]
cids = dict(l.split() for l in open(sys.argv[4]))
proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "-env:UserInstallation=file:///tmp/o22/lo-profile",
    '--accept=socket,host=localhost,port=2202;urp;'])
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
for i in range(60):
    try:
        ctx = resolver.resolve("uno:socket,host=localhost,port=2202;urp;StarOffice.ComponentContext"); break
    except Exception:
        time.sleep(1)
smgr = ctx.ServiceManager
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
sheet = doc.Sheets.getByIndex(0)
# header row 1
cols = {}
for c in range(30):
    s = sheet.getCellByPosition(c, 0).getString()
    if s: cols[s] = c
iidc, cidc, statec = cols["InstallationId"], cols["ConfirmationId"], cols["State"]
ctrl = doc.getCurrentController()
if "filter" in sys.argv[5:]:
    from com.sun.star.sheet.FilterOperator import EQUAL
    dr = doc.DatabaseRanges
    names = dr.getElementNames()
    print("db ranges", names)
    rng = sheet.getCellRangeByName("A1:T4")
    fd = rng.createFilterDescriptor(True)
    f = uno.createUnoStruct("com.sun.star.sheet.TableFilterField")
    f.Field = statec; f.Operator = EQUAL; f.IsNumeric = False; f.StringValue = "needs-cid"
    fd.setFilterFields((f,))
    fd.ContainsHeader = True
    rng.filter(fd)
    for r in range(4): print("row", r+1, "visible", sheet.getRows().getByIndex(r).IsVisible)
disp = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
for r in range(1, 50):
    iid = sheet.getCellByPosition(iidc, r).getString()
    if sheet.getCellByPosition(statec, r).getString() != "needs-cid": continue
    cid = cids[iid]
    if "solid" in sys.argv[5:]: cid = cid.replace("-", "")
    if "spaced" in sys.argv[5:]: cid = cid.replace("-", " ")
    cell = sheet.getCellByPosition(cidc, r)
    if mode == "type":
        ctrl.select(cell)
        disp.executeDispatch(ctrl.getFrame(), ".uno:EnterString", "", 0, (pv("StringName", cid),))
    elif mode == "formula":
        cell.setFormula(cid)
    else:
        cell.setString(cid)
    print("row", r+1, "type", sheet.getCellByPosition(cidc, r).getType().value, repr(sheet.getCellByPosition(cidc, r).getString()))
doc.storeToURL(uno.systemPathToFileUrl(outbase + ".xlsx"), (pv("FilterName", "Calc Office Open XML"),))
doc.storeToURL(uno.systemPathToFileUrl(outbase + "-excel2007.xlsx"), (pv("FilterName", "Calc MS Excel 2007 XML"),))
doc.storeToURL(uno.systemPathToFileUrl(outbase + "-semicolon.csv"), (pv("FilterName", "Text - txt - csv (StarCalc)"), pv("FilterOptions", "59,34,76,1,,0,false,true,false,false,false")))
doc.storeToURL(uno.systemPathToFileUrl(outbase + ".csv"), (pv("FilterName", "Text - txt - csv (StarCalc)"), pv("FilterOptions", "44,34,76,1,,0,false,true,false,false,false")))
doc.close(True)
try: desktop.terminate()
except Exception: pass
proc.wait(timeout=30)
