using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using Collectives.Transport.Security;

namespace Collectives.Transport.SharedMemory;

/// <summary>
/// A file in /dev/shm mapped into this process: created by one rank with mode 0600 under a name
/// only the job can compute (128 bits of an HMAC under the job's secret, see <see cref="NameFor"/>),
/// opened by the others, and unlinked as soon as all have it mapped. Because every rank, and the
/// launcher, can compute the name, whoever survives a crash before that moment removes it too.
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

    /// <summary>
    /// The name of the segment of ranks <paramref name="group"/> of the job: the job's prefix and
    /// 128 bits of HMAC-SHA256 under the job's secret, so every rank and the launcher can compute
    /// it and nobody without the secret can guess it.
    /// </summary>
    public static string NameFor(JobCredentials credentials, string group)
    {
        Span<byte> mac = stackalloc byte[32];
        credentials.Sign(Encoding.UTF8.GetBytes($"collectives-v1 shm-segment {credentials.JobId} {group}"), mac);
        return NamePrefix(credentials.JobId) + Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>
    /// Creates, sizes (zero-filled) and maps a new segment named <paramref name="name"/> (from
    /// <see cref="NameFor"/>). A file of that name can only be a leftover of an earlier run of the
    /// same job (id and secret), which is removed first.
    /// </summary>
    public static SharedMemorySegment Create(string name, long length)
    {
        string path = System.IO.Path.Combine(Directory, name);
        Unlink(path);
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

    /// <summary>Maps every page into this process now, rather than on first touch in a collective (see <see cref="SegmentPrefault"/>).</summary>
    public void Populate() => SegmentPrefault.Populate(_base, Length);

    /// <summary>Removes the segment's name; the memory stays mapped for whoever has it.</summary>
    public void Unlink() => Unlink(Path);

    /// <summary>Removes the segment named <paramref name="name"/> if it exists; returns whether it did.</summary>
    public static bool Remove(string name)
    {
        string path = System.IO.Path.Combine(Directory, name);
        bool existed = File.Exists(path);
        Unlink(path);
        return existed && !File.Exists(path);
    }

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
