module github.com/actcourier/actcourier

go 1.20

require (
	filippo.io/age v1.2.1
	github.com/go-ole/go-ole v1.2.6
	github.com/klauspost/compress v1.17.9
	github.com/urfave/cli/v2 v2.27.7
	golang.org/x/sys v0.30.0
	golang.org/x/text v0.22.0
)

require (
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
	golang.org/x/crypto v0.33.0 // indirect
)
