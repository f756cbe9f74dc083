package winwmi

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// Errors a caller can test with errors.Is.
var (
	// ErrInvalidClass means the namespace has no such class
	// (WBEM_E_INVALID_CLASS), or the namespace itself is missing.
	ErrInvalidClass = errors.New("winwmi: no such class")
	// ErrAccessDenied means the query needs more rights (administrator).
	ErrAccessDenied = errors.New("winwmi: access denied")
)

// HRESULTs of WMI (WbemErrorEnum) and IDispatch.
const (
	wbemInvalidClass     = 0x80041010
	wbemInvalidNamespace = 0x8004100E
	wbemInvalidQuery     = 0x80041017
	wbemInvalidProperty  = 0x80041011
	wbemNotFound         = 0x80041002
	wbemAccessDenied     = 0x80041003
	eAccessDenied        = 0x80070005
	dispUnknownName      = 0x80020006
	dispMemberNotFound   = 0x80020003
)

// Row is one instance: property name to value. Values are string, int64,
// bool, []interface{} or nil (NULL).
type Row map[string]interface{}

// Session is a COM apartment on one locked OS thread, with a locator.
// Every call must come from the goroutine that made the Session.
type Session struct {
	locator *ole.IDispatch
	servers map[string]*ole.IDispatch
}

// Open initializes COM on the calling thread (which it locks) and creates
// the WMI locator. Close undoes both.
func Open() (*Session, error) {
	runtime.LockOSThread()
	if err := ole.CoInitializeEx(0, ole.COINIT_MULTITHREADED); err != nil {
		var oe *ole.OleError
		// S_FALSE (1): already initialized on this thread.
		if !errors.As(err, &oe) || oe.Code() != 1 {
			runtime.UnlockOSThread()
			return nil, fmt.Errorf("winwmi: COM initialization: %w", err)
		}
	}
	unk, err := oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		ole.CoUninitialize()
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("winwmi: SWbemLocator: %w", err)
	}
	defer unk.Release()
	loc, err := unk.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		ole.CoUninitialize()
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("winwmi: SWbemLocator: %w", err)
	}
	return &Session{locator: loc, servers: map[string]*ole.IDispatch{}}, nil
}

// Close releases COM objects and uninitializes COM.
func (s *Session) Close() {
	for _, svc := range s.servers {
		svc.Release()
	}
	s.locator.Release()
	ole.CoUninitialize()
	runtime.UnlockOSThread()
}

func (s *Session) server(namespace string) (*ole.IDispatch, error) {
	if svc, ok := s.servers[namespace]; ok {
		return svc, nil
	}
	// ConnectServer(server, namespace): "." is this machine.
	v, err := oleutil.CallMethod(s.locator, "ConnectServer", ".", namespace)
	if err != nil {
		return nil, classify(err, "connect to "+namespace)
	}
	svc := v.ToIDispatch()
	s.servers[namespace] = svc
	return svc, nil
}

// Query selects props of class in namespace. It first asks for exactly
// those properties; if WMI rejects the query (one of them does not exist
// on this Windows), it asks for * and reads each property on its own.
// missing lists the properties the class lacks. where is a WQL condition
// without the WHERE keyword, or "".
func (s *Session) Query(namespace, class string, props []string, where string) (rows []Row, missing []string, err error) {
	sel := strings.Join(props, ", ")
	if len(props) == 0 {
		sel = "*"
	}
	rows, missing, err = s.query(namespace, class, sel, props, where)
	if err == nil || errors.Is(err, ErrInvalidClass) || errors.Is(err, ErrAccessDenied) || sel == "*" {
		return rows, missing, err
	}
	// A property this Windows lacks fails the whole query (DOMAIN.md):
	// read every property on its own instead.
	rows, missing, err2 := s.query(namespace, class, "*", props, where)
	if err2 == nil {
		return rows, missing, nil
	}
	if where != "" {
		// The condition may name a missing property too: take every
		// instance and let the caller filter.
		if rows, missing, err3 := s.query(namespace, class, "*", props, ""); err3 == nil {
			return rows, missing, nil
		}
	}
	return nil, nil, err
}

func (s *Session) query(namespace, class, sel string, props []string, where string) ([]Row, []string, error) {
	svc, err := s.server(namespace)
	if err != nil {
		return nil, nil, err
	}
	wql := "SELECT " + sel + " FROM " + class
	if where != "" {
		wql += " WHERE " + where
	}
	res, err := oleutil.CallMethod(svc, "ExecQuery", wql)
	if err != nil {
		return nil, nil, classify(err, wql)
	}
	set := res.ToIDispatch()
	defer set.Release()
	rows := []Row{}
	lacking := map[string]bool{}
	err = oleutil.ForEach(set, func(v *ole.VARIANT) error {
		item := v.ToIDispatch()
		defer item.Release()
		row := Row{}
		for _, p := range props {
			val, err := get(item, p)
			if err != nil {
				if isMissing(err) {
					lacking[p] = true
					continue
				}
				return fmt.Errorf("%s.%s: %w", class, p, err)
			}
			row[p] = val
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		return nil, nil, classify(err, wql)
	}
	var missing []string
	for _, p := range props {
		if lacking[p] {
			missing = append(missing, p)
		}
	}
	return rows, missing, nil
}

// get reads one property with DISPATCH_METHOD|DISPATCH_PROPERTYGET, the
// flags both Windows and Wine accept.
func get(item *ole.IDispatch, name string) (interface{}, error) {
	v, err := item.InvokeWithOptionalArgs(name, ole.DISPATCH_METHOD|ole.DISPATCH_PROPERTYGET, nil)
	if err != nil {
		return nil, err
	}
	defer v.Clear()
	return value(v), nil
}

// value converts a VARIANT to a plain Go value.
func value(v *ole.VARIANT) interface{} {
	if v.VT&ole.VT_ARRAY != 0 {
		arr := v.ToArray()
		if arr == nil {
			return nil
		}
		return arr.ToValueArray()
	}
	switch x := v.Value().(type) {
	case nil:
		return nil
	case string, bool:
		return x
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		return int64(x)
	case int:
		return int64(x)
	case uint:
		return int64(x)
	case float32:
		return float64(x)
	case float64:
		return x
	case time.Time:
		return x
	default:
		return fmt.Sprint(x)
	}
}

func code(err error) uint32 {
	var oe *ole.OleError
	if errors.As(err, &oe) {
		// IDispatch exceptions carry the WMI code in the EXCEPINFO.
		if ex, ok := oe.SubError().(ole.EXCEPINFO); ok && ex.SCODE() != 0 {
			return ex.SCODE()
		}
		return uint32(oe.Code())
	}
	return 0
}

func isMissing(err error) bool {
	switch code(err) {
	case dispUnknownName, dispMemberNotFound, wbemNotFound, wbemInvalidProperty:
		return true
	}
	return false
}

// classify maps a COM error to the package's errors, keeping the HRESULT.
func classify(err error, what string) error {
	c := code(err)
	switch c {
	case wbemInvalidClass, wbemInvalidNamespace:
		return fmt.Errorf("%s: %w (0x%08X)", what, ErrInvalidClass, c)
	case wbemAccessDenied, eAccessDenied:
		return fmt.Errorf("%s: %w (0x%08X)", what, ErrAccessDenied, c)
	}
	if c != 0 {
		return fmt.Errorf("%s: 0x%08X: %v", what, c, err)
	}
	return fmt.Errorf("%s: %v", what, err)
}
