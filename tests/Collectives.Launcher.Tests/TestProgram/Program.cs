using System.Globalization;
using System.Runtime.InteropServices;
using Collectives.Bootstrap;
using Collectives.Transport.Rendezvous;

// Runs its arguments as a small script, left to right, so one binary covers every test:
//   env NAME...          print NAME=value (or NAME unset) for each name
//   launch               print what bootstrap detects from the environment
//   rendezvous           publish this rank on collrun's rendezvous server and read every other rank
//   say TEXT / warn TEXT print TEXT on stdout / stderr
//   lines N              print N numbered lines as fast as possible
//   trap                 on SIGINT/SIGTERM print "got SIGxxx" and exit 0
//   ignore-signals       swallow SIGINT/SIGTERM (only SIGKILL stops it)
//   sleep SECONDS        sleep
//   exit CODE            exit with CODE
//   crash                throw an unhandled exception (the runtime aborts: SIGABRT)
//   pid                  print "pid N" (this process's id)
//   announce-late SECS   shared memory: rank 0 waits SECS between creating its segment and announcing it (the transport's test hook)
//   connect              join the job with Communicator.ConnectAsync, run a Barrier, print "connected"
//   setenv NAME VALUE    set an environment variable of this process (read by the library later)
//   flood-rendezvous N   open N connections to collrun's rendezvous server, each sending 100 zero bytes (refused), one after another
//   try-connect          as connect, but print "connect failed: <exception type>: <message>" instead of crashing
//   join                 join the job with Communicator.ConnectAsync and keep the communicator for allreduce
//   allreduce N          N Allreduce calls (Sum of 4 ints) on the joined communicator
//   if-rank R COMMAND... run the following command only on rank R
int rank = int.TryParse(Environment.GetEnvironmentVariable("COLLECTIVES_RANK"), CultureInfo.InvariantCulture, out int r) ? r : -1;
var registrations = new List<PosixSignalRegistration>();
Collectives.Communicator? joined = null;
int i = 0;
while (i < args.Length)
{
    string command = args[i++];
    bool run = true;
    if (command == "if-rank")
    {
        run = int.Parse(args[i++], CultureInfo.InvariantCulture) == rank;
        command = args[i++];
    }

    switch (command)
    {
        case "env":
            while (i < args.Length && args[i].ToUpperInvariant() == args[i] && !int.TryParse(args[i], out _))
            {
                string name = args[i++];
                if (run)
                {
                    Console.WriteLine(Environment.GetEnvironmentVariable(name) is { } value ? $"{name}={value}" : $"{name} unset");
                }
            }

            break;
        case "launch":
            if (run)
            {
                Console.WriteLine(LaunchEnvironment.Detect());
            }

            break;
        case "rendezvous":
            if (run)
            {
                await RendezvousAsync();
            }

            break;
        case "say":
        case "warn":
            string text = args[i++];
            if (run)
            {
                (command == "say" ? Console.Out : Console.Error).WriteLine(text);
            }

            break;
        case "lines":
            int count = int.Parse(args[i++], CultureInfo.InvariantCulture);
            for (int line = 0; run && line < count; line++)
            {
                Console.WriteLine($"line {line} of rank {rank} " + new string('x', 60));
            }

            break;
        case "trap":
        case "ignore-signals":
            if (run)
            {
                bool exit = command == "trap";
                foreach (PosixSignal signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM])
                {
                    registrations.Add(PosixSignalRegistration.Create(signal, context =>
                    {
                        context.Cancel = true;
                        if (exit)
                        {
                            Console.WriteLine($"got {context.Signal}");
                            Environment.Exit(0);
                        }
                    }));
                }

                Console.WriteLine("ready");
            }

            break;
        case "sleep":
            double seconds = double.Parse(args[i++], CultureInfo.InvariantCulture);
            if (run)
            {
                Thread.Sleep(TimeSpan.FromSeconds(seconds));
            }

            break;
        case "exit":
            int code = int.Parse(args[i++], CultureInfo.InvariantCulture);
            if (run)
            {
                return code;
            }

            break;
        case "pid":
            if (run)
            {
                Console.WriteLine($"pid {Environment.ProcessId}");
            }

            break;
        case "announce-late":
            string delay = args[i++];
            if (run)
            {
                Environment.SetEnvironmentVariable("COLLECTIVES_TEST_SHM_ANNOUNCE_DELAY", delay);
            }

            break;
        case "connect":
            if (run)
            {
                await ConnectAsync();
            }

            break;
        case "join":
            if (run)
            {
                joined = await Collectives.Communicator.ConnectAsync();
            }

            break;
        case "allreduce":
            int calls = int.Parse(args[i++], CultureInfo.InvariantCulture);
            for (int call = 0; run && call < calls; call++)
            {
                int[] data = [1, 2, 3, 4];
                (joined ?? throw new InvalidOperationException("allreduce before join")).Allreduce(data.AsSpan(), Collectives.ReduceOp.Sum);
            }

            break;
        case "setenv":
            string variable = args[i++];
            string setting = args[i++];
            if (run)
            {
                Environment.SetEnvironmentVariable(variable, setting);
            }

            break;
        case "flood-rendezvous":
            int connections = int.Parse(args[i++], CultureInfo.InvariantCulture);
            if (run)
            {
                await FloodAsync(connections);
            }

            break;
        case "try-connect":
            if (run)
            {
                try
                {
                    await ConnectAsync();
                }
                catch (Exception exception)
                {
                    Console.WriteLine($"connect failed: {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}");
                }
            }

            break;
        case "crash":
            if (run)
            {
                throw new InvalidOperationException($"rank {rank} crashed on purpose");
            }

            break;
        default:
            Console.Error.WriteLine($"TestProgram: unknown command '{command}'");
            return 64;
    }
}

return 0;

static async Task ConnectAsync()
{
    await using (Collectives.Communicator communicator = await Collectives.Communicator.ConnectAsync())
    {
        communicator.Barrier();
    }

    Console.WriteLine("connected");
}

static async Task FloodAsync(int connections)
{
    LaunchInfo info = LaunchEnvironment.Detect();
    byte[] buffer = new byte[1024];
    for (int connection = 0; connection < connections; connection++)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(info.RendezvousEndPoint);
        await socket.SendAsync(new byte[100], System.Net.Sockets.SocketFlags.None);
        try
        {
            while (await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None) > 0)
            {
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Reset: refused all the same.
        }
    }

    Console.WriteLine($"flooded {connections}");
}

static async Task RendezvousAsync()
{
    LaunchInfo info = LaunchEnvironment.Detect();
    await using RendezvousClient client = await RendezvousClient.ConnectAsync(info.RendezvousEndPoint, info.CreateCredentials(), TimeSpan.FromSeconds(10), CancellationToken.None);
    await client.SetAsync($"rank/{info.Rank}", System.Text.Encoding.UTF8.GetBytes($"hello from {info.Rank}"), CancellationToken.None);
    var heard = new List<string>();
    for (int other = 0; other < info.Size; other++)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        heard.Add(System.Text.Encoding.UTF8.GetString(await client.GetAsync($"rank/{other}", timeout.Token)));
    }

    Console.WriteLine($"rendezvous: {string.Join("; ", heard)}");
}
