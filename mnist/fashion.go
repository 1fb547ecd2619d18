package mnist

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/softmax-fast/softmax-fast/softmax"
	"github.com/softmax-fast/softmax-fast/tensor"
)

// NumClasses is the number of Fashion-MNIST classes; every label is below it.
const NumClasses = 10

// ClassNames are the names of the Fashion-MNIST classes, indexed by label.
var ClassNames = [NumClasses]string{
	"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
	"Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
}

// The file names of a Fashion-MNIST (or MNIST) directory. Each may also be
// present gzip-compressed, with ".gz" appended.
const (
	TrainImagesFile = "train-images-idx3-ubyte"
	TrainLabelsFile = "train-labels-idx1-ubyte"
	TestImagesFile  = "t10k-images-idx3-ubyte"
	TestLabelsFile  = "t10k-labels-idx1-ubyte"
)

// The places FindDir looks in.
const (
	// EnvDir names the environment variable that points at the data.
	EnvDir = "FASHION_MNIST_DIR"
	// SystemDir is where Debian's dataset-fashion-mnist package puts the data.
	SystemDir = "/usr/share/datasets/fashion-mnist"
	// LocalDir is the last resort, relative to the working directory.
	LocalDir = "data/fashion-mnist"
)

// InstallHint tells how to get the data; it ends every *NotFoundError.
const InstallHint = `install the data with "apt-get install dataset-fashion-mnist" (Debian, into ` + SystemDir +
	`) or put the four files (` + TrainImagesFile + `, ` + TrainLabelsFile + `, ` + TestImagesFile + `, ` +
	TestLabelsFile + `, each raw or .gz) in a directory named by ` + EnvDir + ` or -data`

// searchDirs are the directories FindDir tries when neither a directory
// nor the environment names one (a variable so tests can replace it).
var (
	searchDirs = []string{SystemDir, LocalDir}
	searchFrom = []string{"Debian's dataset-fashion-mnist", "the working directory"}
)

var fileNames = [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// Set is one split of the data: N images of Rows x Cols pixels and their
// labels.
type Set struct {
	// Images holds N*Rows*Cols pixels, image after image, each row-major;
	// 0 is background and 255 full ink, as in the files.
	Images []uint8
	// Labels holds N class indexes, each below NumClasses.
	Labels []uint8
	// N is the number of images, Rows and Cols their height and width.
	N, Rows, Cols int
	// ImagesPath and LabelsPath are the files the set was read from.
	ImagesPath, LabelsPath string
}

// Image returns the pixels of image i (Rows*Cols bytes, row-major), or nil
// if i is out of range. The slice aliases s.Images.
func (s *Set) Image(i int) []uint8 {
	if s == nil || i < 0 || i >= s.N {
		return nil
	}
	n := s.Rows * s.Cols
	return s.Images[i*n : (i+1)*n : (i+1)*n]
}

// Dataset views the set as the input of package softmax (a Trainer's
// training, validation or test set, or a Dense's Accuracy and Confusion):
// one image of Rows*Cols pixels per matrix row, and the labels. Nothing is
// copied: the matrix's data is s.Images and the labels are s.Labels, so the
// view is only valid while s is, and changing one changes the other. A nil
// set gives an empty Dataset.
func (s *Set) Dataset() softmax.Dataset {
	if s == nil {
		return softmax.Dataset{}
	}
	px := s.Rows * s.Cols
	return softmax.Dataset{
		Images: &tensor.U8Matrix{Rows: s.N, Cols: px, Stride: px, Data: s.Images},
		Labels: s.Labels,
	}
}

// Dataset is Fashion-MNIST: a training and a test set whose images have
// the same size.
//
// On Linux, a Dataset that Load read from the cache holds its images and
// labels in a private mapping of the cache file instead of the Go heap:
// reading them reads the kernel's page cache, and writing them copies the
// written pages for this process (the file is never changed). The mapping
// is never unmapped, since any slice of it may still be in use: it lasts
// until the process ends, and each Load from the cache maps the file anew
// (its pages are the page cache's, shared by every mapping). The cache
// file is only ever replaced by a rename, which leaves a mapped file as it
// was; a program that truncates it in place while a Dataset is in use
// makes that Dataset's reads fault.
type Dataset struct {
	Train, Test *Set
	Dir         string // the directory the files were found in

	mapped bool // the sets are slices of a mapping of the cache file
}

// Options controls Load.
type Options struct {
	// NoCache makes Load decode the source files and neither read nor
	// write the cache.
	NoCache bool
	// CacheDir is the directory of the cache file; empty means
	// DefaultCacheDir().
	CacheDir string
}

// LoadInfo tells how Load went, for a program to report.
type LoadInfo struct {
	Dir       string // the data directory
	FromCache bool   // the data came from the cache, not the source files
	// CachePath is the cache file read or written; empty with NoCache or
	// when no cache directory could be determined.
	CachePath string
	// CacheMiss says why an existing cache file was not used ("sources
	// changed", "checksum mismatch", ...); empty on a hit, with NoCache, or
	// when there was no cache file.
	CacheMiss string
	// CacheErr is why the cache could not be written. Loading succeeded
	// anyway; it is nil when the cache was written or read, or with NoCache.
	CacheErr error
	// Duration is the time Load took.
	Duration time.Duration
}

// NotFoundError is returned by FindDir when no directory holds the data.
// It wraps fs.ErrNotExist.
type NotFoundError struct {
	// Looked lists each directory tried, in order, as "DIR (from WHERE):
	// PROBLEM".
	Looked []string
}

func (e *NotFoundError) Error() string {
	return "mnist: Fashion-MNIST data not found; looked in " + strings.Join(e.Looked, "; ") + "; " + InstallHint
}

// Unwrap returns fs.ErrNotExist.
func (e *NotFoundError) Unwrap() error { return fs.ErrNotExist }

// FindDir returns the directory holding the Fashion-MNIST files: explicit
// if it is not empty, else the directory named by $FASHION_MNIST_DIR if
// that is set, else the first of SystemDir and LocalDir that holds all four
// files. A directory given by explicit or the environment is used or
// rejected, never skipped. When no directory qualifies the error is a
// *NotFoundError that lists where FindDir looked and how to install the
// data.
func FindDir(explicit string) (string, error) {
	type place struct{ dir, from string }
	var places []place
	switch env := os.Getenv(EnvDir); {
	case explicit != "":
		places = []place{{explicit, "given"}}
	case env != "":
		places = []place{{env, "$" + EnvDir}}
	default:
		for i, d := range searchDirs {
			places = append(places, place{d, searchFrom[i]})
		}
	}
	e := &NotFoundError{}
	for _, p := range places {
		_, err := findFiles(p.dir)
		if err == nil {
			return p.dir, nil
		}
		e.Looked = append(e.Looked, fmt.Sprintf("%s (%s): %s", p.dir, p.from, err))
	}
	return "", e
}

// missingError says which files a directory lacks.
type missingError struct{ what string }

func (e *missingError) Error() string { return e.what }
func (e *missingError) Unwrap() error { return fs.ErrNotExist }

// findFiles returns the paths of the four files in dir, raw or gzipped.
// When both forms of a name exist, the raw one is used (it loads faster);
// a directory is returned only if no file has that name, so that reading it
// reports it.
func findFiles(dir string) ([4]string, error) {
	var paths [4]string
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return paths, &missingError{"does not exist"}
	case err != nil:
		return paths, err
	case !st.IsDir():
		return paths, &missingError{"is not a directory"}
	}
	var missing []string
	for i, name := range fileNames {
		var dirHit string
		for _, n := range []string{name, name + ".gz"} {
			p := filepath.Join(dir, n)
			st, err := os.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return paths, err
			}
			if st.IsDir() {
				if dirHit == "" {
					dirHit = p
				}
				continue
			}
			paths[i] = p
			break
		}
		if paths[i] == "" {
			paths[i] = dirHit
		}
		if paths[i] == "" {
			missing = append(missing, name+"(.gz)")
		}
	}
	if missing != nil {
		return paths, &missingError{"missing " + strings.Join(missing, ", ")}
	}
	return paths, nil
}

// DefaultCacheDir is the default directory of Load's cache:
// os.UserCacheDir()/softmax-fast ($XDG_CACHE_HOME/softmax-fast or
// ~/.cache/softmax-fast on Linux).
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("mnist: no cache directory: %w", err)
	}
	return filepath.Join(d, "softmax-fast"), nil
}

// Load reads the Fashion-MNIST training and test sets from dir (FindDir("")
// if dir is empty). Each of the four files may be raw or gzipped. It checks
// every file as ReadIDXFile does, and that images have 3 dimensions and
// labels 1, each image file has as many images as its label file has
// labels, every label is below NumClasses, and the training and test images
// have the same size. Errors name the file and the problem.
//
// The four files are decoded concurrently. Unless opt.NoCache is set, Load
// then keeps a decoded copy in a cache file under opt.CacheDir (default
// DefaultCacheDir()), keyed on the source files' names, sizes and
// modification times and protected by a CRC-32C checksum, and later loads
// read that copy instead; a cache that is stale, truncated or corrupt is
// ignored and rewritten. The cache is written atomically, and a cache that
// cannot be written is no error: info.CacheErr says why.
func Load(dir string, opt Options) (ds *Dataset, info LoadInfo, err error) {
	start := time.Now()
	defer func() { info.Duration = time.Since(start) }()
	if dir == "" {
		if dir, err = FindDir(""); err != nil {
			return nil, info, err
		}
	}
	info.Dir = dir
	paths, err := findFiles(dir)
	if err != nil {
		var me *missingError
		if errors.As(err, &me) {
			return nil, info, fmt.Errorf("mnist: %s: %w; %s", dir, err, InstallHint)
		}
		return nil, info, fmt.Errorf("mnist: %w", err)
	}

	var c *cacheRef
	if !opt.NoCache {
		c, info.CacheErr = newCacheRef(dir, paths, opt.CacheDir)
		if c != nil {
			info.CachePath = c.path
			ds, miss := c.read()
			if ds != nil {
				info.FromCache = true
				return ds, info, nil
			}
			info.CacheMiss = miss
		}
	}

	ds, err = loadFiles(dir, paths)
	if err != nil {
		return nil, info, err
	}
	if c != nil {
		info.CacheErr = c.write(ds)
	}
	return ds, info, nil
}

// LoadSet reads one split from an image file and a label file (raw or
// gzipped) with the checks of Load, without a cache. It also reads MNIST
// digits, whose files have the same format.
func LoadSet(imagesPath, labelsPath string) (*Set, error) {
	files, err := readFiles([]string{imagesPath, labelsPath}, []int{3, 1})
	if err != nil {
		return nil, err
	}
	return makeSet(imagesPath, labelsPath, files[0], files[1])
}

type idxFile struct {
	dims []int
	data []uint8
}

// readFiles decodes the files concurrently and returns the first error in
// file order.
func readFiles(paths []string, wantDims []int) ([]idxFile, error) {
	files := make([]idxFile, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i := range paths {
		wg.Go(func() {
			files[i].dims, files[i].data, errs[i] = readIDXFile(paths[i], wantDims[i])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func loadFiles(dir string, paths [4]string) (*Dataset, error) {
	files, err := readFiles(paths[:], []int{3, 1, 3, 1})
	if err != nil {
		return nil, err
	}
	train, err := makeSet(paths[0], paths[1], files[0], files[1])
	if err != nil {
		return nil, err
	}
	test, err := makeSet(paths[2], paths[3], files[2], files[3])
	if err != nil {
		return nil, err
	}
	if test.Rows != train.Rows || test.Cols != train.Cols {
		return nil, &FormatError{Path: paths[2], Offset: 8, Reason: fmt.Sprintf(
			"test images are %dx%d, but the training images (%s) are %dx%d",
			test.Rows, test.Cols, paths[0], train.Rows, train.Cols)}
	}
	return &Dataset{Train: train, Test: test, Dir: dir}, nil
}

// makeSet checks decoded image and label files against each other.
func makeSet(imagesPath, labelsPath string, img, lbl idxFile) (*Set, error) {
	s := &Set{
		Images: img.data, Labels: lbl.data,
		N: img.dims[0], Rows: img.dims[1], Cols: img.dims[2],
		ImagesPath: imagesPath, LabelsPath: labelsPath,
	}
	switch {
	case s.N == 0:
		return nil, &FormatError{Path: imagesPath, Offset: 4, Reason: "holds no images"}
	case s.Rows == 0 || s.Cols == 0:
		return nil, &FormatError{Path: imagesPath, Offset: 8, Reason: fmt.Sprintf("images of %dx%d pixels are empty", s.Rows, s.Cols)}
	case lbl.dims[0] != s.N:
		return nil, &FormatError{Path: labelsPath, Offset: 4, Reason: fmt.Sprintf(
			"has %d labels, but %s has %d images", lbl.dims[0], imagesPath, s.N)}
	}
	if i, ok := badLabel(s.Labels); !ok {
		return nil, &FormatError{Path: labelsPath, Offset: 8 + int64(i), Reason: fmt.Sprintf(
			"label %d of image %d is out of range, want 0 to %d", s.Labels[i], i, NumClasses-1)}
	}
	return s, nil
}

// badLabel returns the index of the first label >= NumClasses, if any.
func badLabel(labels []uint8) (int, bool) {
	for i, l := range labels {
		if l >= NumClasses {
			return i, false
		}
	}
	return 0, true
}
