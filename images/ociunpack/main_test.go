package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entry is one file of a test layer: a directory ends in "/", a symlink has a link target.
type entry struct {
	name, body, link string
	mode             int64
}

func layerTar(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: e.mode}
		switch {
		case strings.HasSuffix(e.name, "/"):
			hdr.Typeflag = tar.TypeDir
		case e.link != "":
			hdr.Typeflag, hdr.Linkname = tar.TypeSymlink, e.link
		default:
			hdr.Typeflag, hdr.Size = tar.TypeReg, int64(len(e.body))
		}
		if hdr.Mode == 0 {
			hdr.Mode = 0o644
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// layout builds an OCI image layout tarball of the given uncompressed layers; corrupt, if
// set, changes a blob after its digest was taken.
func layout(t *testing.T, layers [][]byte, corrupt func(blobs map[string][]byte)) []byte {
	t.Helper()
	blobs := map[string][]byte{}
	add := func(data []byte) descriptor {
		d := digest(data)
		blobs[strings.TrimPrefix(d, "sha256:")] = data
		return descriptor{Digest: d, Size: int64(len(data))}
	}
	var cfg imageConfig
	cfg.Architecture, cfg.OS, cfg.RootFS.Type = "amd64", "linux", "layers"
	cfg.Config.User = "65532"
	var m manifest
	m.SchemaVersion, m.MediaType = 2, mediaManifest
	for _, layer := range layers {
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(layer)
		w.Close()
		d := add(gz.Bytes())
		d.MediaType = mediaLayerGz
		m.Layers = append(m.Layers, d)
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, digest(layer))
	}
	rawCfg, _ := json.Marshal(cfg)
	m.Config = add(rawCfg)
	m.Config.MediaType = mediaConfig
	rawManifest, _ := json.Marshal(m)
	md := add(rawManifest)
	md.MediaType = mediaManifest
	md.Annotations = map[string]string{"org.opencontainers.image.ref.name": "test/image:1"}
	rawIndex, _ := json.Marshal(index{SchemaVersion: 2, MediaType: mediaIndex, Manifests: []descriptor{md}})
	if corrupt != nil {
		corrupt(blobs)
	}

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	put := func(name string, data []byte) {
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))})
		tw.Write(data)
	}
	put("oci-layout", []byte(`{"imageLayoutVersion": "1.0.0"}`))
	put("index.json", rawIndex)
	for hex, data := range blobs {
		put("blobs/sha256/"+hex, data)
	}
	tw.Close()
	return buf.Bytes()
}

func unpack(t *testing.T, image []byte) (string, error) {
	t.Helper()
	img, err := ReadLayout(bytes.NewReader(image))
	if err != nil {
		return "", err
	}
	r, err := img.Resolve()
	if err != nil {
		return "", err
	}
	root := t.TempDir()
	for i, layer := range r.Manifest.Layers {
		if _, err := img.ApplyLayer(root, layer, r.Config.RootFS.DiffIDs[i]); err != nil {
			return root, err
		}
	}
	return root, nil
}

func TestLayersApplyInOrderWithWhiteouts(t *testing.T) {
	lower := layerTar(t,
		entry{name: "a/", mode: 0o755},
		entry{name: "a/keep", body: "kept"},
		entry{name: "a/gone", body: "whited out"},
		entry{name: "b/", mode: 0o755},
		entry{name: "b/old", body: "hidden by the opaque directory"},
		entry{name: "bin/", mode: 0o755},
		entry{name: "bin/tool", body: "v1", mode: 0o755},
		entry{name: "tool", link: "bin/tool"},
		entry{name: "tmp/", mode: 0o1777},
	)
	upper := layerTar(t,
		entry{name: "a/.wh.gone"},
		entry{name: "b/new", body: "from the upper layer"},
		entry{name: "b/.wh..wh..opq"},
		entry{name: "bin/tool", body: "v2", mode: 0o755},
	)
	root, err := unpack(t, layout(t, [][]byte{lower, upper}, nil))
	if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(data)
	}
	if got := read("a/keep"); got != "kept" {
		t.Errorf("a/keep = %q", got)
	}
	if _, err := os.Lstat(filepath.Join(root, "a/gone")); !os.IsNotExist(err) {
		t.Errorf("a/gone survived its whiteout: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(root, "b/old")); !os.IsNotExist(err) {
		t.Errorf("b/old survived the opaque whiteout: %v", err)
	}
	if got := read("b/new"); got != "from the upper layer" {
		t.Errorf("b/new = %q: the opaque whiteout must spare its own layer's entries", got)
	}
	if got := read("tool"); got != "v2" {
		t.Errorf("tool -> bin/tool = %q, want the upper layer's", got)
	}
	if info, _ := os.Stat(filepath.Join(root, "bin/tool")); info == nil || info.Mode().Perm() != 0o755 {
		t.Errorf("bin/tool mode = %v", info)
	}
	if info, _ := os.Stat(filepath.Join(root, "tmp")); info == nil || info.Mode()&os.ModeSticky == 0 || info.Mode().Perm() != 0o777 {
		t.Errorf("tmp mode = %v, want sticky 777", info)
	}
	if _, err := os.Lstat(filepath.Join(root, "a/.wh.gone")); !os.IsNotExist(err) {
		t.Errorf("a whiteout marker was written as a file")
	}
}

func TestRefusesABlobThatDoesNotMatchItsDigest(t *testing.T) {
	image := layout(t, [][]byte{layerTar(t, entry{name: "f", body: "x"})}, func(blobs map[string][]byte) {
		for hex, data := range blobs {
			if len(data) > 0 && data[0] == 0x1f { // the gzip layer
				blobs[hex] = append([]byte{}, data...)
				blobs[hex][len(data)-1] ^= 0xff
			}
		}
	})
	_, err := unpack(t, image)
	if err == nil || !strings.Contains(err.Error(), "does not match its digest") {
		t.Fatalf("want a digest mismatch, got %v", err)
	}
}

func TestRefusesToWriteThroughASymlink(t *testing.T) {
	outside := t.TempDir()
	lower := layerTar(t, entry{name: "escape", link: outside})
	upper := layerTar(t, entry{name: "escape/planted", body: "must not leave the root"})
	_, err := unpack(t, layout(t, [][]byte{lower, upper}, nil))
	if err == nil || !strings.Contains(err.Error(), "goes through the symbolic link") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); !os.IsNotExist(err) {
		t.Fatalf("a layer wrote outside the root")
	}
}

func TestExplainsADockerFormatTarball(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "manifest.json", Typeflag: tar.TypeReg, Mode: 0o644, Size: 2})
	tw.Write([]byte("[]"))
	tw.Close()
	_, err := ReadLayout(&buf)
	if err == nil || !strings.Contains(err.Error(), "<format>OCI</format>") {
		t.Fatalf("want the Docker-format explanation, got %v", err)
	}
}
