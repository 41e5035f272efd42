// Command ocipack writes a single-layer OCI image tarball FROM scratch out of files on this
// machine, for the images the local node runs that have no Jib build of their own: the Go demo
// service and the pause image the container runtime needs for every pod. Nothing is pulled; the
// tarball is what `ctr images import` takes, named by the io.containerd.image.name annotation.
//
// Usage: ocipack -name REF -out IMAGE.tar [-user UID] [-entrypoint /path] [-env K=V]... SRC=DEST...
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    map[string]string `json:"platform,omitempty"`
}

// The fixed time every entry carries, so the same inputs give the same digests.
var epoch = time.Unix(0, 0).UTC()

func main() {
	name := flag.String("name", "", "image reference, e.g. registry.k8s.io/pause:3.10.2")
	out := flag.String("out", "", "the OCI tarball to write")
	user := flag.String("user", "0", "the user the image runs as")
	entrypoint := flag.String("entrypoint", "", "the entrypoint (defaults to the first DEST)")
	var env repeated
	flag.Var(&env, "env", "an environment variable K=V (repeatable)")
	flag.Parse()
	if *name == "" || *out == "" || flag.NArg() == 0 {
		fail("usage: ocipack -name REF -out IMAGE.tar [-user UID] [-entrypoint /path] [-env K=V]... SRC=DEST...")
	}
	files := map[string]string{}
	for _, arg := range flag.Args() {
		src, dest, ok := strings.Cut(arg, "=")
		if !ok || !path.IsAbs(dest) {
			fail("%q is not SRC=/absolute/dest", arg)
		}
		files[dest] = src
	}
	if *entrypoint == "" {
		_, dest, _ := strings.Cut(flag.Arg(0), "=")
		*entrypoint = dest
	}

	layer, diffID := buildLayer(files)
	config := mustJSON(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"created":      epoch.Format(time.RFC3339),
		"config":       map[string]any{"User": *user, "Entrypoint": []string{*entrypoint}, "Env": append([]string{"PATH=/"}, env...)},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{diffID}},
	})
	blobs := map[string][]byte{}
	layerDesc := blob(blobs, "application/vnd.oci.image.layer.v1.tar+gzip", layer)
	configDesc := blob(blobs, "application/vnd.oci.image.config.v1+json", config)
	manifest := mustJSON(map[string]any{
		"schemaVersion": 2,
		"mediaType":     "application/vnd.oci.image.manifest.v1+json",
		"config":        configDesc,
		"layers":        []descriptor{layerDesc},
	})
	manifestDesc := blob(blobs, "application/vnd.oci.image.manifest.v1+json", manifest)
	manifestDesc.Platform = map[string]string{"architecture": "amd64", "os": "linux"}
	tag := *name
	if i := strings.LastIndex(tag, ":"); i > strings.LastIndex(tag, "/") {
		tag = tag[i+1:]
	}
	manifestDesc.Annotations = map[string]string{"io.containerd.image.name": *name, "org.opencontainers.image.ref.name": tag}
	index := mustJSON(map[string]any{
		"schemaVersion": 2,
		"mediaType":     "application/vnd.oci.image.index.v1+json",
		"manifests":     []descriptor{manifestDesc},
	})

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	write(tw, "oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)
	write(tw, "index.json", index, 0o644)
	digests := make([]string, 0, len(blobs))
	for d := range blobs {
		digests = append(digests, d)
	}
	sort.Strings(digests)
	for _, d := range digests {
		write(tw, "blobs/sha256/"+strings.TrimPrefix(d, "sha256:"), blobs[d], 0o644)
	}
	check(tw.Close())
	tmp := *out + ".tmp"
	check(os.WriteFile(tmp, buf.Bytes(), 0o644))
	check(os.Rename(tmp, *out))
	fmt.Fprintf(os.Stderr, "[ocipack] %s -> %s (%s, %d bytes)\n", *name, *out, manifestDesc.Digest, buf.Len())
}

// buildLayer returns the gzipped layer and the sha256 of its uncompressed tar (the diff id),
// with every parent directory of every file present, as runtimes expect.
func buildLayer(files map[string]string) ([]byte, string) {
	dests := make([]string, 0, len(files))
	dirs := map[string]bool{}
	for dest := range files {
		dests = append(dests, dest)
		for d := path.Dir(dest); d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	dirs["/tmp"] = true
	sort.Strings(dests)
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)

	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, d := range dirList {
		mode := int64(0o755)
		if d == "/tmp" {
			mode = 0o1777
		}
		check(tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: strings.TrimPrefix(d, "/") + "/", Mode: mode, ModTime: epoch, Format: tar.FormatPAX}))
	}
	for _, dest := range dests {
		data, err := os.ReadFile(files[dest])
		check(err)
		info, err := os.Stat(files[dest])
		check(err)
		write(tw, strings.TrimPrefix(dest, "/"), data, int64(info.Mode().Perm()))
	}
	check(tw.Close())
	sum := sha256.Sum256(raw.Bytes())
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	check(err)
	_, err = zw.Write(raw.Bytes())
	check(err)
	check(zw.Close())
	return gz.Bytes(), "sha256:" + hex.EncodeToString(sum[:])
}

func blob(blobs map[string][]byte, mediaType string, data []byte) descriptor {
	sum := sha256.Sum256(data)
	d := "sha256:" + hex.EncodeToString(sum[:])
	blobs[d] = data
	return descriptor{MediaType: mediaType, Digest: d, Size: int64(len(data))}
}

func write(tw *tar.Writer, name string, data []byte, mode int64) {
	check(tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data)), ModTime: epoch, Format: tar.FormatPAX}))
	_, err := tw.Write(data)
	check(err)
}

func mustJSON(v any) []byte {
	data, err := json.Marshal(v)
	check(err)
	return data
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[ocipack] ERROR: "+format+"\n", args...)
	os.Exit(1)
}
