using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Phase4.Domain.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database or host.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<TodoDbContext>
{
    public TodoDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TodoDbContext>()
            .UseNpgsql("Host=localhost;Database=tasksdb;Username=postgres");
        TodoDbContext.ConfigureProvider(options);
        return new TodoDbContext(options.Options);
    }
}
