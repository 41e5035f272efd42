// Command ociunpack checks that a tarball is a well-formed OCI image and unpacks its root
// filesystem the way a container runtime would: the image index, then its one manifest, then
// every blob checked against its digest and size, then the layers applied in order with their
// whiteouts. It writes DIR/rootfs and DIR/image.env (the image configuration as shell
// variables) for images/verify-image.sh, and a layer table on standard error.
//
// Usage: ociunpack -tar IMAGE.tar -out DIR
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

const (
	mediaIndex    = "application/vnd.oci.image.index.v1+json"
	mediaManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaConfig   = "application/vnd.oci.image.config.v1+json"
	mediaLayerGz  = "application/vnd.oci.image.layer.v1.tar+gzip"
	mediaLayerTar = "application/vnd.oci.image.layer.v1.tar"
)

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type index struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Manifests     []descriptor `json:"manifests"`
}

type manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        descriptor   `json:"config"`
	Layers        []descriptor `json:"layers"`
}

type imageConfig struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Config       struct {
		User       string   `json:"User"`
		Env        []string `json:"Env"`
		Entrypoint []string `json:"Entrypoint"`
		Cmd        []string `json:"Cmd"`
		WorkingDir string   `json:"WorkingDir"`
	} `json:"config"`
	RootFS struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []struct {
		Comment string `json:"comment"`
	} `json:"history"`
}

// Image is an OCI image layout read from a tarball: its files by path, blobs included.
type Image struct {
	files map[string][]byte
}

func main() {
	tarPath := flag.String("tar", "", "the OCI image tarball")
	out := flag.String("out", "", "directory to write rootfs/ and image.env into")
	flag.Parse()
	if *tarPath == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: ociunpack -tar IMAGE.tar -out DIR")
		os.Exit(2)
	}
	if err := run(*tarPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "ociunpack: %s: %v\n", *tarPath, err)
		os.Exit(1)
	}
}

func run(tarPath, out string) error {
	f, err := os.Open(tarPath)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := ReadLayout(f)
	if err != nil {
		return err
	}
	resolved, err := img.Resolve()
	if err != nil {
		return err
	}
	m, cfg := resolved.Manifest, resolved.Config
	rootfs := filepath.Join(out, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return err
	}
	var compressed, uncompressed int64
	fmt.Fprintf(os.Stderr, "%-4s %12s %12s  %s\n", "#", "compressed", "unpacked", "layer")
	for i, layer := range m.Layers {
		size, err := img.ApplyLayer(rootfs, layer, cfg.RootFS.DiffIDs[i])
		if err != nil {
			return fmt.Errorf("layer %d (%s): %w", i, layer.Digest, err)
		}
		compressed += layer.Size
		uncompressed += size
		comment := ""
		if i < len(cfg.History) {
			comment = cfg.History[i].Comment
		}
		fmt.Fprintf(os.Stderr, "%-4d %12d %12d  %s\n", i, layer.Size, size, comment)
	}
	fmt.Fprintf(os.Stderr, "%-4s %12d %12d  %s\n", "all", compressed, uncompressed, resolved.Ref)

	var env strings.Builder
	variable := func(name string, value string) { fmt.Fprintf(&env, "%s=%s\n", name, shellQuote(value)) }
	array := func(name string, values []string) {
		quoted := make([]string, len(values))
		for i, v := range values {
			quoted[i] = shellQuote(v)
		}
		fmt.Fprintf(&env, "%s=(%s)\n", name, strings.Join(quoted, " "))
	}
	variable("IMAGE_REF", resolved.Ref)
	variable("IMAGE_MANIFEST_DIGEST", resolved.ManifestDigest)
	variable("IMAGE_ARCH", cfg.Architecture)
	variable("IMAGE_OS", cfg.OS)
	variable("IMAGE_USER", cfg.Config.User)
	variable("IMAGE_WORKDIR", cfg.Config.WorkingDir)
	array("IMAGE_ENTRYPOINT", cfg.Config.Entrypoint)
	array("IMAGE_CMD", cfg.Config.Cmd)
	array("IMAGE_ENV", cfg.Config.Env)
	variable("IMAGE_LAYERS", fmt.Sprint(len(m.Layers)))
	variable("IMAGE_COMPRESSED_BYTES", fmt.Sprint(compressed))
	variable("IMAGE_UNPACKED_BYTES", fmt.Sprint(uncompressed))
	return os.WriteFile(filepath.Join(out, "image.env"), []byte(env.String()), 0o644)
}

// ReadLayout reads an OCI image layout from a tar stream into memory (images here are tens of MB).
func ReadLayout(r io.Reader) (*Image, error) {
	img := &Image{files: map[string][]byte{}}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the image tarball: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		img.files[path.Clean(strings.TrimPrefix(hdr.Name, "./"))] = data
	}
	layout, ok := img.files["oci-layout"]
	if !ok {
		if _, docker := img.files["manifest.json"]; docker {
			return nil, errors.New("this is a Docker-format tarball (manifest.json), not an OCI layout: build with <format>OCI</format>")
		}
		return nil, errors.New("no oci-layout file: not an OCI image layout")
	}
	var version struct {
		ImageLayoutVersion string `json:"imageLayoutVersion"`
	}
	if err := json.Unmarshal(layout, &version); err != nil || version.ImageLayoutVersion != "1.0.0" {
		return nil, fmt.Errorf("oci-layout: want imageLayoutVersion 1.0.0, got %q (%v)", layout, err)
	}
	return img, nil
}

// Resolved is what an image layout's index leads to.
type Resolved struct {
	Ref            string // the index's org.opencontainers.image.ref.name annotation
	ManifestDigest string
	Manifest       manifest
	Config         imageConfig
}

// Resolve follows index.json to its single image manifest and the configuration it names.
func (img *Image) Resolve() (Resolved, error) {
	var r Resolved
	var idx index
	raw, ok := img.files["index.json"]
	if !ok {
		return r, errors.New("no index.json")
	}
	if err := json.Unmarshal(raw, &idx); err != nil {
		return r, fmt.Errorf("index.json: %w", err)
	}
	if idx.SchemaVersion != 2 || len(idx.Manifests) != 1 {
		return r, fmt.Errorf("index.json: want schemaVersion 2 and one manifest, got %d and %d", idx.SchemaVersion, len(idx.Manifests))
	}
	desc := idx.Manifests[0]
	if desc.MediaType != mediaManifest {
		return r, fmt.Errorf("index.json names a %s, want an image manifest", desc.MediaType)
	}
	raw, err := img.blob(desc)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(raw, &r.Manifest); err != nil {
		return r, fmt.Errorf("manifest: %w", err)
	}
	if r.Manifest.SchemaVersion != 2 || r.Manifest.Config.MediaType != mediaConfig {
		return r, fmt.Errorf("manifest: want schemaVersion 2 and an OCI config, got %d and %q", r.Manifest.SchemaVersion, r.Manifest.Config.MediaType)
	}
	raw, err = img.blob(r.Manifest.Config)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(raw, &r.Config); err != nil {
		return r, fmt.Errorf("config: %w", err)
	}
	if r.Config.RootFS.Type != "layers" || len(r.Config.RootFS.DiffIDs) != len(r.Manifest.Layers) {
		return r, fmt.Errorf("config: %d diff_ids of type %q for %d layers", len(r.Config.RootFS.DiffIDs), r.Config.RootFS.Type, len(r.Manifest.Layers))
	}
	r.Ref = desc.Annotations["org.opencontainers.image.ref.name"]
	r.ManifestDigest = desc.Digest
	return r, nil
}

// blob returns the content a descriptor names, after checking its size and digest.
func (img *Image) blob(d descriptor) ([]byte, error) {
	hexDigest, ok := strings.CutPrefix(d.Digest, "sha256:")
	if !ok || len(hexDigest) != 64 {
		return nil, fmt.Errorf("unsupported digest %q", d.Digest)
	}
	data, ok := img.files["blobs/sha256/"+hexDigest]
	if !ok {
		return nil, fmt.Errorf("blob %s is missing", d.Digest)
	}
	if int64(len(data)) != d.Size {
		return nil, fmt.Errorf("blob %s has %d bytes, its descriptor says %d", d.Digest, len(data), d.Size)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hexDigest {
		return nil, fmt.Errorf("blob %s does not match its digest", d.Digest)
	}
	return data, nil
}

// ApplyLayer unpacks one layer over root, honouring whiteouts, and returns its unpacked size.
// The uncompressed stream must hash to diffID, as the configuration promises.
func (img *Image) ApplyLayer(root string, d descriptor, diffID string) (int64, error) {
	data, err := img.blob(d)
	if err != nil {
		return 0, err
	}
	var stream io.Reader = bytes.NewReader(data)
	switch d.MediaType {
	case mediaLayerGz:
		gz, err := gzip.NewReader(stream)
		if err != nil {
			return 0, err
		}
		defer gz.Close()
		stream = gz
	case mediaLayerTar:
	default:
		return 0, fmt.Errorf("unsupported layer media type %q", d.MediaType)
	}
	hash := sha256.New()
	size, err := applyTar(root, io.TeeReader(stream, hash))
	if err != nil {
		return 0, err
	}
	// Drain what tar did not read (padding) so the diff id covers the whole stream.
	if _, err := io.Copy(hash, stream); err != nil {
		return 0, err
	}
	if got := "sha256:" + hex.EncodeToString(hash.Sum(nil)); got != diffID {
		return 0, fmt.Errorf("uncompressed layer is %s, the configuration's diff_id says %s", got, diffID)
	}
	return size, nil
}

// applyTar writes a layer's entries under root. A whiteout (.wh.NAME) removes NAME, and an
// opaque whiteout (.wh..wh..opq) empties its directory, of what lower layers put there.
func applyTar(root string, r io.Reader) (int64, error) {
	tr := tar.NewReader(r)
	fromThisLayer := map[string]bool{}
	var size int64
	type dirMode struct {
		path string
		hdr  *tar.Header
	}
	var dirs []dirMode
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return size, err
		}
		name := path.Clean("/" + hdr.Name)[1:]
		if name == "" {
			continue
		}
		dir, base := path.Split(name)
		target, err := insideRoot(root, name)
		if err != nil {
			return size, err
		}
		if base == ".wh..wh..opq" {
			parent := filepath.Dir(target)
			entries, err := os.ReadDir(parent)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return size, err
			}
			for _, e := range entries {
				if !fromThisLayer[path.Join(dir, e.Name())] {
					if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
						return size, err
					}
				}
			}
			continue
		}
		if hidden, ok := strings.CutPrefix(base, ".wh."); ok {
			if err := os.RemoveAll(filepath.Join(filepath.Dir(target), hidden)); err != nil {
				return size, err
			}
			continue
		}
		fromThisLayer[name] = true
		if existing, err := os.Lstat(target); err == nil && !(existing.IsDir() && hdr.Typeflag == tar.TypeDir) {
			if err := os.RemoveAll(target); err != nil {
				return size, err
			}
		}
		mode := os.FileMode(hdr.Mode).Perm()
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o700); err != nil {
				return size, err
			}
			dirs = append(dirs, dirMode{target, hdr})
			continue
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return size, err
			}
			f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return size, err
			}
			n, err := io.Copy(f, tr)
			size += n
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return size, err
			}
		case tar.TypeSymlink:
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				return size, err
			}
			continue
		case tar.TypeLink:
			source, err := insideRoot(root, path.Clean("/" + hdr.Linkname)[1:])
			if err != nil {
				return size, err
			}
			if err := os.Link(source, target); err != nil {
				return size, err
			}
			continue
		default:
			return size, fmt.Errorf("%s: unsupported tar entry type %q", name, hdr.Typeflag)
		}
		if err := setOwnerAndMode(target, hdr, mode); err != nil {
			return size, err
		}
	}
	// Modes of directories last, so that a read-only directory does not stop its own entries.
	sort.Slice(dirs, func(i, j int) bool { return len(dirs[i].path) > len(dirs[j].path) })
	for _, d := range dirs {
		if err := setOwnerAndMode(d.path, d.hdr, os.FileMode(d.hdr.Mode).Perm()); err != nil {
			return size, err
		}
	}
	return size, nil
}

// setOwnerAndMode applies the entry's owner (when running as root) and its full mode,
// set-id and sticky bits included.
func setOwnerAndMode(target string, hdr *tar.Header, perm os.FileMode) error {
	if os.Geteuid() == 0 {
		if err := os.Lchown(target, hdr.Uid, hdr.Gid); err != nil {
			return err
		}
	}
	mode := perm
	if hdr.Mode&0o4000 != 0 {
		mode |= os.ModeSetuid
	}
	if hdr.Mode&0o2000 != 0 {
		mode |= os.ModeSetgid
	}
	if hdr.Mode&0o1000 != 0 {
		mode |= os.ModeSticky
	}
	return os.Chmod(target, mode)
}

// insideRoot maps a layer path to the host, refusing any path that would leave root through
// an existing symbolic link (a hostile or broken layer could otherwise write outside it).
func insideRoot(root, name string) (string, error) {
	current := root
	parts := strings.Split(name, "/")
	for _, part := range parts[:len(parts)-1] {
		current = filepath.Join(current, part)
		info, err := os.Lstat(current)
		if errors.Is(err, os.ErrNotExist) {
			break
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return "", fmt.Errorf("%s: goes through the symbolic link %s", name, current)
		}
	}
	return filepath.Join(root, name), nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
