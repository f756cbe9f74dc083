package winwmi

import (
	"fmt"

	"github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
)

// Param is one in-parameter of a WMI method, by name: the order of a
// method's parameters does not matter.
type Param struct {
	Name  string
	Value interface{} // string, bool, int32, uint32, int64…
}

// MethodError is a WMI method that failed: ExecMethod_ raised a COM
// error (the licensing methods raise their SL_E_* HRESULT this way,
// DOMAIN.md "The return path"), or the method returned a ReturnValue
// other than 0, which is then the code.
type MethodError struct {
	Method string
	Object string // the path, or the parameter, it failed on
	Code   uint32
	Err    error // the COM error; nil for a ReturnValue
}

// Error names the method, the object and the code; the COM error's own
// text ("Exception occurred") says nothing more.
func (e *MethodError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%s on %s: returned %d (0x%08X)", e.Method, e.Object, e.Code, e.Code)
	}
	return fmt.Sprintf("%s on %s: 0x%08X", e.Method, e.Object, e.Code)
}

// HRESULT returns the code, so that callers read it without this
// package.
func (e *MethodError) HRESULT() uint32 { return e.Code }

func (e *MethodError) Unwrap() error { return e.Err }

// Exec runs method on the WMI object at path in namespace: a class
// ("StdRegProv") for a static method, an instance
// (`SoftwareLicensingProduct.ID="…"`) otherwise. It goes through
// SWbemObject.ExecMethod_ with an InParameters object, the one way both
// Windows and Wine accept: Wine does not invoke WMI methods called by
// name on an object. It returns ReturnValue and the out-parameters named
// in out. A COM error or a ReturnValue other than 0 is a *MethodError;
// a path that names nothing is ErrInvalidClass or a *MethodError with
// WBEM_E_NOT_FOUND (0x80041002).
func (s *Session) Exec(namespace, path, method string, in []Param, out ...string) (Row, error) {
	svc, err := s.server(namespace)
	if err != nil {
		return nil, err
	}
	objV, err := oleutil.CallMethod(svc, "Get", path)
	if err != nil {
		return nil, classifyMethod(err, method, path)
	}
	obj := objV.ToIDispatch()
	defer obj.Release()
	args := []interface{}{method}
	if len(in) > 0 {
		params, err := inParameters(obj, method)
		if err != nil {
			return nil, classifyMethod(err, method, path)
		}
		defer params.Release()
		for _, p := range in {
			// DISPATCH_PROPERTYPUT alone: Wine's SWbemObject takes no
			// other flags for a put.
			if _, err := oleutil.PutProperty(params, p.Name, p.Value); err != nil {
				return nil, classifyMethod(err, method, path+" "+p.Name)
			}
		}
		args = append(args, params)
	}
	resV, err := oleutil.CallMethod(obj, "ExecMethod_", args...)
	if err != nil {
		return nil, &MethodError{Method: method, Object: path, Code: code(err), Err: err}
	}
	res := resV.ToIDispatch()
	if res == nil {
		return Row{}, nil
	}
	defer res.Release()
	row := Row{}
	for _, name := range append([]string{"ReturnValue"}, out...) {
		v, err := get(res, name)
		if err != nil {
			if isMissing(err) {
				continue // a method without a return value, or an out-parameter it did not set
			}
			return nil, classifyMethod(err, method, name)
		}
		row[name] = v
	}
	if rv, ok := row["ReturnValue"].(int64); ok && rv != 0 {
		return row, &MethodError{Method: method, Object: path, Code: uint32(rv)}
	}
	return row, nil
}

// inParameters returns an object of the method's in-parameters to fill:
// on Windows an instance spawned from InParameters, the class; Wine's
// InParameters is an instance already and cannot spawn one.
func inParameters(obj *ole.IDispatch, method string) (*ole.IDispatch, error) {
	methodsV, err := obj.InvokeWithOptionalArgs("Methods_", ole.DISPATCH_METHOD|ole.DISPATCH_PROPERTYGET, nil)
	if err != nil {
		return nil, err
	}
	methods := methodsV.ToIDispatch()
	defer methods.Release()
	mV, err := oleutil.CallMethod(methods, "Item", method)
	if err != nil {
		return nil, err
	}
	m := mV.ToIDispatch()
	defer m.Release()
	inV, err := m.InvokeWithOptionalArgs("InParameters", ole.DISPATCH_METHOD|ole.DISPATCH_PROPERTYGET, nil)
	if err != nil {
		return nil, err
	}
	params := inV.ToIDispatch()
	if params == nil {
		return nil, fmt.Errorf("%s takes no parameters", method)
	}
	if spawned, err := oleutil.CallMethod(params, "SpawnInstance_"); err == nil && spawned.ToIDispatch() != nil {
		params.Release()
		return spawned.ToIDispatch(), nil
	}
	return params, nil
}

// classifyMethod is classify for a method call: a missing class stays
// ErrInvalidClass, anything else with a code is a *MethodError.
func classifyMethod(err error, method, what string) error {
	c := code(err)
	switch c {
	case wbemInvalidClass, wbemInvalidNamespace:
		return classify(err, what)
	case 0:
		return fmt.Errorf("%s (%s): %v", method, what, err)
	}
	return &MethodError{Method: method, Object: what, Code: c, Err: err}
}
