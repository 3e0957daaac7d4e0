using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Phase4.Domain.Data;
using Phase4.Domain.Tasks;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Domain;

/// <summary>
/// The services run on the compiled model in Domain/Data/CompiledModel (<c>UseModel</c>, DatabaseSetup), not on the
/// model OnModelCreating builds: a column, index or key added there and not regenerated would be missing at run time
/// while the migrations have it. So the committed files must be exactly what <c>dotnet ef dbcontext optimize</c>
/// generates from OnModelCreating now, through the same design-time services the tool uses (EF Core docs, "Design-time
/// services: Using services"; the tool's DbContextOperations.Optimize passes the design-time model and these options).
/// </summary>
public sealed partial class CompiledModelTests
{
    private const string Folder = "Domain/Data/CompiledModel";
    private const string Regenerate =
        "dotnet ef dbcontext optimize --project Domain --startup-project Backend.Api --context TodoDbContext " +
        "--output-dir Data/CompiledModel --namespace Phase4.Domain.Data.CompiledModel";

    [Fact]
    public void The_committed_compiled_model_is_what_OnModelCreating_generates()
    {
        var generated = Generate().ToDictionary(file => file.Path, file => file.Code, StringComparer.Ordinal);
        var committedFolder = Path.Combine(RepositoryRoot.Folder, Folder);
        var committed = Directory.GetFiles(committedFolder, "*.cs")
            .ToDictionary(path => Path.GetFileName(path), path => File.ReadAllText(path), StringComparer.Ordinal);

        Assert.True(generated.Keys.Order(StringComparer.Ordinal).SequenceEqual(committed.Keys.Order(StringComparer.Ordinal)),
            $"{Folder} has [{string.Join(", ", committed.Keys)}], the model generates [{string.Join(", ", generated.Keys)}]: run `{Regenerate}`.");
        var stale = generated.Where(file => Comparable(file.Value) != Comparable(committed[file.Key])).Select(file => file.Key).ToList();
        Assert.True(stale.Count == 0, $"{Folder}: {string.Join(", ", stale)} out of date with TodoDbContext.OnModelCreating: run `{Regenerate}`.");
    }

    [Fact]
    public void A_column_dropped_from_OnModelCreating_makes_the_committed_model_stale()
    {
        var options = new DbContextOptionsBuilder<TodoDbContext>()
            .UseNpgsql("Host=localhost;Database=tasksdb;Username=postgres")
            .ReplaceService<IModelCustomizer, WithoutTaskDescription>();
        TodoDbContext.ConfigureProvider(options);
        using var db = new TodoDbContext(options.Options);

        var tasks = Generate(db).Single(file => file.Path == "TodoTaskEntityType.cs");

        Assert.DoesNotContain("\"Description\"", tasks.Code, StringComparison.Ordinal);
        Assert.NotEqual(Comparable(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, Folder, tasks.Path))), Comparable(tasks.Code));
    }

    /// <summary>OnModelCreating, then the task's description column left out: a model someone changed without regenerating.</summary>
    private sealed class WithoutTaskDescription(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<TodoTask>().Ignore(task => task.Description);
        }
    }

    private static IReadOnlyCollection<ScaffoldedFile> Generate()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);
        return Generate(db);
    }

    private static IReadOnlyCollection<ScaffoldedFile> Generate(TodoDbContext db)
    {
        var services = new ServiceCollection()
            .AddEntityFrameworkDesignTimeServices()
            .AddDbContextDesignTimeServices(db);
        ProviderDesignTimeServices(db).ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();

        return provider.GetRequiredService<ICompiledModelCodeGenerator>().GenerateModel(
            db.GetService<IDesignTimeModel>().Model,
            new CompiledModelCodeGenerationOptions
            {
                ContextType = typeof(TodoDbContext),
                ModelNamespace = "Phase4.Domain.Data.CompiledModel",
                Language = "C#",
                UseNullableReferenceTypes = true,
            });
    }

    /// <summary>The provider's own design-time services (Npgsql's annotation code generator), found as the tool finds them.</summary>
    private static IDesignTimeServices ProviderDesignTimeServices(DbContext db)
    {
        var providerAssembly = Assembly.Load(new AssemblyName(db.GetService<IDatabaseProvider>().Name));
        var typeName = providerAssembly.GetCustomAttribute<DesignTimeProviderServicesAttribute>()!.TypeName;
        return (IDesignTimeServices)Activator.CreateInstance(providerAssembly.GetType(typeName, throwOnError: true)!)!;
    }

    /// <summary>
    /// The text to compare: line endings as they are checked out, and the model id masked, which the generator draws
    /// afresh every time (a new <c>Guid</c>).
    /// </summary>
    private static string Comparable(string text) =>
        ModelId().Replace(text.ReplaceLineEndings("\n").TrimStart('\uFEFF'), "modelId: new Guid(\"(generated)\")");

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]{36}"\)""")]
    private static partial Regex ModelId();
}
