using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// A file in /dev/shm mapped into this process: created by one rank with mode 0600 under a name
/// nobody can guess (128 random bits), opened by the others, and unlinked as soon as all have it
/// mapped, so that nothing is left behind whatever happens to the processes afterwards.
/// </summary>
internal sealed unsafe class SharedMemorySegment : IDisposable
{
    /// <summary>Where segments live.</summary>
    public const string Directory = "/dev/shm";

    private const string Prefix = "collectives-";

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    private SharedMemorySegment(string name, MemoryMappedFile file, MemoryMappedViewAccessor view, long length)
    {
        Name = name;
        _file = file;
        _view = view;
        Length = length;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
    }

    public string Name { get; }

    public long Length { get; }

    public byte* Base => _base;

    public string Path => System.IO.Path.Combine(Directory, Name);

    /// <summary>The start of the names of a job's segments: tools and tests can look for leftovers with it.</summary>
    public static string NamePrefix(string jobId)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(jobId));
        return $"{Prefix}{Convert.ToHexStringLower(hash.AsSpan(0, 4))}-";
    }

    /// <summary>Creates, sizes (zero-filled) and maps a new segment for job <paramref name="jobId"/>.</summary>
    public static SharedMemorySegment Create(string jobId, long length)
    {
        string name = NamePrefix(jobId) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string path = System.IO.Path.Combine(Directory, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        FileStream stream = new(path, options);
        try
        {
            stream.SetLength(length);
            return Map(name, stream, length);
        }
        catch
        {
            stream.Dispose();
            Unlink(path);
            throw;
        }
    }

    /// <summary>Opens and maps the segment another rank created; it must be exactly <paramref name="length"/> bytes.</summary>
    public static SharedMemorySegment Open(string name, long length)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ProtocolException($"'{name}' is not the name of a Collectives shared-memory segment.");
        }

        string path = System.IO.Path.Combine(Directory, name);
        FileStream stream = new(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite });
        try
        {
            if (stream.Length != length)
            {
                throw new ProtocolException($"Shared-memory segment {name} holds {stream.Length} bytes where {length} were expected; do the ranks use different shared-memory settings?");
            }

            return Map(name, stream, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Removes the segment's name; the memory stays mapped for whoever has it.</summary>
    public void Unlink() => Unlink(Path);

    public void Dispose()
    {
        if (_base != null)
        {
            _base = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        _view.Dispose();
        _file.Dispose();
    }

    private static SharedMemorySegment Map(string name, FileStream stream, long length)
    {
        MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        try
        {
            return new SharedMemorySegment(name, file, file.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite), length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static void Unlink(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Already gone, or never there: either way nothing is left behind.
        }
    }
}
