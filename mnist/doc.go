// Package mnist reads and writes IDX files, the format of MNIST and
// Fashion-MNIST, and loads Fashion-MNIST with the checks and caching a
// trainer needs.
//
// # IDX files
//
// ReadIDX and ReadIDXFile read one IDX array of unsigned bytes, raw or
// gzip-compressed; gzip is recognised by its magic bytes (1f 8b), never by a
// file name. They check the magic number (0x00 0x00 type ndim), accept only
// element type 0x08 (unsigned byte), and require exactly the payload the
// dimensions describe: truncated or trailing data is an error. No
// allocation is sized by an unchecked header: a raw file's header is checked
// against the file's size first, and a stream's buffer grows only with the
// data actually decoded, so a header claiming billions of images fails as
// soon as the data runs out. WriteIDX and WriteIDXFile write IDX arrays.
//
// # Fashion-MNIST
//
// Load reads the four files of Fashion-MNIST (train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
// each raw or with .gz appended) into a Dataset of two Sets. Pixels stay
// uint8, one image after another, each row-major; images may have any
// height and width, as long as the training and test images agree. Labels
// index ClassNames. LoadSet reads one image file and one label file, such as
// the original MNIST digits. Set.Dataset views a set, without copying it, as
// the softmax.Dataset that package softmax trains and evaluates on.
//
// FindDir locates the data: an explicit directory (the command line's
// -data), else $FASHION_MNIST_DIR, else SystemDir
// (/usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist
// package), else LocalDir (./data/fashion-mnist). Its error lists where it
// looked and how to install the data.
//
// # Cache
//
// Decoding the gzipped files takes about half a second. Load therefore keeps
// a decoded copy in a cache file in DefaultCacheDir (os.UserCacheDir() +
// "/softmax-fast", so $XDG_CACHE_HOME moves it) or Options.CacheDir, and
// reads it instead on later calls: on Linux it maps the file (see Dataset
// for how long the mapping lives) and checks it in place, elsewhere it
// reads it into a buffer. The cache file
// is written atomically (a temporary file in the same directory, renamed;
// not fsynced, since syncing 55 MB took longer than decoding and a cache
// damaged by a crash is detected and rebuilt), keyed on the source files'
// directory, names, sizes and
// modification times, and protected by a CRC-32C checksum; a stale,
// truncated or corrupt cache is never used but rebuilt. A cache that cannot
// be written is no error: LoadInfo.CacheErr reports it. Options.NoCache
// turns the cache off.
//
// # Errors
//
// Functions return errors and never panic on bad input. A problem with a
// file's content is a *FormatError that names the file, the byte offset
// (in the decompressed data, for gzip) and the problem, and wraps the
// underlying gzip or I/O error, if any. Missing files and directories
// produce errors that wrap fs.ErrNotExist; FindDir returns a
// *NotFoundError.
//
// # Concurrency
//
// All functions may be called from many goroutines at once, and several
// processes may share a cache directory. Load and LoadSet decode their files
// in goroutines of their own, which end before they return. The package
// prints nothing and has no global state apart from ClassNames, which
// callers must not modify, and the mappings of cache files, which last as
// long as the process.
package mnist
