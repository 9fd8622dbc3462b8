// Go's TLS clients as a bot drives them (the standard library only, built offline): `goclient tls PORT` dials
// 127.0.0.1:PORT with crypto/tls and its defaults (no deadline of its own) and completes the handshake;
// `goclient http PORT` GETs https://127.0.0.1:PORT/ with net/http's default transport (its TLSHandshakeTimeout of
// 10 s included), certificate checks off, and reads the whole body as a scraper does. Prints "GAVE UP: <error>"
// (exit 1) or what it got (exit 0).
package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	insecure := &tls.Config{InsecureSkipVerify: true}
	switch os.Args[1] {
	case "tls":
		conn, err := tls.Dial("tcp", "127.0.0.1:"+os.Args[2], insecure)
		if err != nil {
			fmt.Println("GAVE UP:", err)
			os.Exit(1)
		}
		fmt.Printf("HANDSHAKE DONE: version %#x\n", conn.ConnectionState().Version)
		conn.Close()
	case "http":
		transport := http.DefaultTransport.(*http.Transport).Clone()
		transport.TLSClientConfig = insecure
		response, err := (&http.Client{Transport: transport}).Get("https://127.0.0.1:" + os.Args[2] + "/")
		if err != nil {
			fmt.Println("GAVE UP:", err)
			os.Exit(1)
		}
		read, err := io.Copy(io.Discard, response.Body)
		response.Body.Close()
		fmt.Println("STATUS:", response.Status, "body bytes:", read, "error:", err)
	default:
		fmt.Println("usage: goclient tls|http PORT")
		os.Exit(2)
	}
}
