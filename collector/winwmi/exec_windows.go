package winwmi

import (
	"fmt"

	"github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// MethodError is a WMI method that failed: ExecMethod_ raised a COM
// error (the licensing methods raise their SL_E_* HRESULT this way,
// DOMAIN.md "The return path"), or the method returned a ReturnValue
// other than 0, which is then the code.
type MethodError struct {
	Method string
	Object string // the path it was called on
	Code   uint32
}

func (e *MethodError) Error() string {
	return fmt.Sprintf("%s on %s: 0x%08X", e.Method, e.Object, e.Code)
}

// HRESULT returns the code, so that callers read it without this
// package.
func (e *MethodError) HRESULT() uint32 { return e.Code }

// Exec runs method on the WMI object at path in namespace: a class
// ("StdRegProv") for a static method, an instance
// (`SoftwareLicensingProduct.ID="…"`) otherwise. in holds the
// in-parameters as name, value, name, value…. It goes through
// SWbemObject.ExecMethod_ with an InParameters object, the one way both
// Windows and Wine accept (Wine does not invoke a WMI method called by
// name on an object), and returns ReturnValue and the out-parameters
// named in out. A COM error, or a ReturnValue other than 0, is a
// *MethodError; a namespace or class that does not exist is
// ErrInvalidClass.
func (s *Session) Exec(namespace, path, method string, out []string, in ...interface{}) (Row, error) {
	svc, err := s.server(namespace)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (Row, error) {
		if c := code(err); c != 0 && c != wbemInvalidClass && c != wbemInvalidNamespace {
			return nil, &MethodError{Method: method, Object: path, Code: c}
		}
		return nil, classify(err, method+" on "+path)
	}
	obj, err := call(svc, "Get", ole.DISPATCH_METHOD, path)
	if err != nil {
		return fail(err)
	}
	defer obj.Release()
	args := []interface{}{method}
	if len(in) > 0 {
		params, err := inParameters(obj, method)
		if err != nil {
			return fail(err)
		}
		defer params.Release()
		for i := 0; i+1 < len(in); i += 2 {
			// DISPATCH_PROPERTYPUT alone: Wine takes no other flags
			// for a put.
			if _, err := oleutil.PutProperty(params, in[i].(string), in[i+1]); err != nil {
				return fail(err)
			}
		}
		args = append(args, params)
	}
	res, err := call(obj, "ExecMethod_", ole.DISPATCH_METHOD, args...)
	if err != nil {
		return fail(err)
	}
	defer res.Release()
	row := Row{}
	for _, name := range append(out, "ReturnValue") {
		if v, err := get(res, name); err == nil {
			row[name] = v
		}
	}
	if rv, _ := row["ReturnValue"].(int64); rv != 0 {
		return row, &MethodError{Method: method, Object: path, Code: uint32(rv)}
	}
	return row, nil
}

// inParameters is Methods_.Item(method).InParameters of obj: on Windows
// the class of the parameters, of which it spawns an instance; Wine
// hands out an instance already and cannot spawn one.
func inParameters(obj *ole.IDispatch, method string) (*ole.IDispatch, error) {
	methods, err := call(obj, "Methods_", ole.DISPATCH_METHOD|ole.DISPATCH_PROPERTYGET)
	if err != nil {
		return nil, err
	}
	m, err := call(methods, "Item", ole.DISPATCH_METHOD, method)
	methods.Release()
	if err != nil {
		return nil, err
	}
	params, err := call(m, "InParameters", ole.DISPATCH_METHOD|ole.DISPATCH_PROPERTYGET)
	m.Release()
	if err != nil {
		return nil, err
	}
	if spawned, err := call(params, "SpawnInstance_", ole.DISPATCH_METHOD); err == nil {
		params.Release()
		params = spawned
	}
	return params, nil
}

// call invokes name on d with flags, for an object back; d is kept.
func call(d *ole.IDispatch, name string, flags int16, args ...interface{}) (*ole.IDispatch, error) {
	v, err := d.InvokeWithOptionalArgs(name, flags, args)
	if err != nil {
		return nil, err
	}
	if r := v.ToIDispatch(); r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("%s returned no object", name)
}
