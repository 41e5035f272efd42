// Command testregistry serves a throwaway, in-memory OCI registry on the loopback interface for
// images/test-push.sh, and prints the address it listens on as its first line.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(listener.Addr().String())
	os.Stdout.Sync()
	log.Fatal(http.Serve(listener, registry.New(registry.Logger(log.New(os.Stderr, "", log.LstdFlags)))))
}
