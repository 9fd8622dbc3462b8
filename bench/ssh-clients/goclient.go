// One Go x/crypto/ssh client as a bot drives it (Debian's golang-golang-x-crypto-dev, built offline in GOPATH mode):
// dial 127.0.0.1:PORT with a password and the library's defaults. Prints "GAVE UP: <error>" or "CONNECTED".
package main

import (
	"fmt"
	"os"

	"golang.org/x/crypto/ssh"
)

func main() {
	config := &ssh.ClientConfig{
		User:            "root",
		Auth:            []ssh.AuthMethod{ssh.Password("toor")},
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
	}
	client, err := ssh.Dial("tcp", "127.0.0.1:"+os.Args[1], config)
	if err != nil {
		fmt.Println("GAVE UP:", err)
		return
	}
	client.Close()
	fmt.Println("CONNECTED")
}
