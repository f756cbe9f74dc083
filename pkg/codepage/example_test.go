package codepage_test

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/actcourier/actcourier/pkg/codepage"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

// The importer passes a Decoder to slmgr.Parse: text saved in the console
// code page of a Chinese Windows (GBK, CRLF) is read, not garbled.
func ExampleDecoder() {
	text := "名称: Windows(R), Enterprise edition\r\n描述: Windows(R) Operating System, VOLUME_KMSCLIENT channel\r\n" +
		"部分产品密钥: 2YT43\r\n许可证状态: 已授权\r\n批量激活过期: 200000 分钟 (139 天)\r\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(text)

	res, err := slmgr.Parse([]byte(gbk), slmgr.Options{Decode: codepage.Decoder("")})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := res.Products[0]
	fmt.Println(res.Encoding, p.Kind, p.Channel, p.Status, p.PartialKey, *p.GraceMinutes)

	// Two bytes that read as one Chinese character or as "°æ": the
	// parser refuses, and the error names the code pages to choose from.
	_, err = slmgr.Parse([]byte("Name: \xB0\xE6\r\n"), slmgr.Options{Decode: codepage.Decoder("")})
	fmt.Println(errors.Is(err, slmgr.ErrEncoding), errors.Is(err, codepage.ErrUnsure), strings.Contains(err.Error(), "936"))

	// --codepage 936
	res, _ = slmgr.Parse([]byte("Name: \xB0\xE6\r\n"), slmgr.Options{Decode: codepage.Decoder("936")})
	fmt.Println(res.Encoding)
	// Output:
	// gb18030 windows Volume:GVLK licensed 2YT43 200000
	// true true true
	// gb18030
}
